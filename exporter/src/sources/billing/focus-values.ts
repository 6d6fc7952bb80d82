import { BoundedCache } from './bounded-cache.js';

/*
 * Cell values of FOCUS CSV exports. Exporters disagree on spelling: nulls come as empty cells or the
 * literal `NULL`, timestamps with or without `T`, milliseconds or an explicit offset. These parsers
 * accept those spellings and nothing looser (no `0x10`, no `Infinity`, no locale dates), returning
 * NaN / undefined so the caller can reject the row and say why.
 */

/** The cell's text, or undefined when FOCUS would call it null. */
export function cellText(cell: string | undefined): string | undefined {
  if (cell === undefined) return undefined;
  const text = cell.trim();
  if (text === '' || text === 'NULL' || text === 'null' || text === 'Null') return undefined;
  return text;
}

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A FOCUS Decimal; NaN when the cell is null or not a plain decimal number. */
export function parseDecimal(cell: string | undefined): number {
  const text = cellText(cell);
  if (text === undefined || !DECIMAL.test(text)) return NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : NaN;
}

// 2024-01-01, 2024-01-01T00:00:00Z, 2024-01-01 00:00:00, 2024-01-01T00:00:00.000Z, …+00:00, …+0000
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:(Z|z|UTC)|([+-])(\d{2}):?(\d{2}))?$/;

/** FOCUS timestamps repeat across rows (every line item of one hour); parsing each once saves time. */
const timestampCache = new BoundedCache<string, number>(4096);

/**
 * Milliseconds since the epoch of a FOCUS Date/Time; NaN when null or not a valid date. A value
 * without an offset is UTC, as FOCUS requires of every date.
 */
export function parseTimestamp(cell: string | undefined): number {
  const text = cellText(cell);
  if (text === undefined) return NaN;
  const cached = timestampCache.get(text);
  if (cached !== undefined) return cached;
  const value = parseTimestampText(text);
  timestampCache.set(text, value);
  return value;
}

function parseTimestampText(text: string): number {
  const m = TIMESTAMP.exec(text);
  if (m === null) return NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC rolls 2024-02-30 over to March; a date that does not round-trip does not exist.
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return NaN;
  if (m[9] === undefined) return utc;
  const offsetHours = Number(m[10]);
  const offsetMinutes = Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return NaN;
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return m[9] === '-' ? utc + offset : utc - offset;
}
