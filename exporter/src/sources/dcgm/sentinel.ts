/**
 * DCGM's "no data" values (dcgm_structs.h). DCGM writes these instead of a reading when a field is
 * blank, not found, not supported or not permitted; older dcgm-exporters print them as numbers
 * (its README shows 9223372036854775794 for a missing memory temperature).
 *
 * - DCGM_INT64_BLANK 0x7ffffffffffffff0 and the next 15 codes. As doubles they all round to 2^63,
 *   and no real int64 reading rounds that high, so everything ≥ 2^63 is blank.
 * - DCGM_INT32_BLANK 0x7ffffff0 = 2147483632 up to INT32_MAX 2147483647 (DCGM_INT32_IS_BLANK; an
 *   int64 field converted from a blank int32 reading carries these).
 * - DCGM_FP64_BLANK 2^47 = 140737488355328 and the next 15 codes (the blank base leaves 4 bits for
 *   the kind of blank). DCGM_FP64_IS_BLANK treats every value ≥ 2^47 as blank, but an int64 field
 *   such as energy in millijoules may legitimately pass 2^47, so only the coded window is taken.
 *
 * A real reading that lands exactly in one of these 16-value windows is lost for one scrape; none
 * of the fields read here can be expected to sit there.
 */
const INT64_BLANK_AS_DOUBLE = 2 ** 63;
const INT32_BLANK = 0x7ffffff0;
const INT32_MAX = 0x7fffffff;
const FP64_BLANK = 2 ** 47;
const BLANK_CODES = 16;

export function isDcgmBlank(value: number): boolean {
  return (
    value >= INT64_BLANK_AS_DOUBLE ||
    (value >= INT32_BLANK && value <= INT32_MAX) ||
    (value >= FP64_BLANK && value < FP64_BLANK + BLANK_CODES)
  );
}
