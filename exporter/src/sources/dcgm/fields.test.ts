import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';

import { CLOCK_EVENT_REASONS, FIELD_ALIASES, MEANINGS } from './fields.js';

describe('DCGM field table', () => {
  it('names every field once and every meaning once', () => {
    const fields = MEANINGS.flatMap((m) => m.aliases.map((a) => a.field));
    assert.equal(new Set(fields).size, fields.length);
    assert.equal(FIELD_ALIASES.size, fields.length);
    assert.equal(new Set(MEANINGS.map((m) => m.meaning)).size, MEANINGS.length);
  });

  it('converts each alias by one exact step', () => {
    for (const alias of FIELD_ALIASES.values()) {
      assert.ok(alias.multiply === 1 || alias.divide === 1, alias.field);
    }
  });

  it('maps the 4.9 renames and their units onto the old meanings', () => {
    const pairs: Array<[string, string, number]> = [
      // [old name, new name, factor from the old unit to the new one]
      ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_GPU_UTIL_RATIO', 1 / 100],
      ['DCGM_FI_DEV_SM_CLOCK', 'DCGM_FI_DEV_SM_CLOCK_HERTZ', 1e6],
      ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'DCGM_FI_DEV_GPU_ENERGY_JOULES_TOTAL', 1 / 1000],
      ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_USED_BYTES', 1048576],
      ['DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_FB_FREE_BYTES', 1048576],
      ['DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL', 'DCGM_FI_DEV_NVLINK_THROUGHPUT_TOTAL', 1e6],
      ['DCGM_FI_DEV_POWER_USAGE', 'DCGM_FI_DEV_BOARD_POWER_WATTS', 1],
      ['DCGM_FI_DEV_GPU_TEMP', 'DCGM_FI_DEV_GPU_TEMP_CELSIUS', 1],
      ['DCGM_FI_DEV_CLOCK_THROTTLE_REASONS', 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS', 1],
      ['DCGM_FI_DEV_XID_ERRORS', 'DCGM_FI_DEV_XID_ERROR', 1],
      ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'DCGM_FI_PROF_GR_ENGINE_UTIL_RATIO', 1],
      ['DCGM_FI_PROF_SM_ACTIVE', 'DCGM_FI_PROF_SM_UTIL_RATIO', 1],
      ['DCGM_FI_PROF_SM_OCCUPANCY', 'DCGM_FI_PROF_SM_OCCUPANCY_RATIO', 1],
      ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'DCGM_FI_PROF_TENSOR_UTIL_RATIO', 1],
      ['DCGM_FI_PROF_DRAM_ACTIVE', 'DCGM_FI_PROF_DRAM_UTIL_RATIO', 1],
    ];
    for (const [oldName, newName, factor] of pairs) {
      const before = FIELD_ALIASES.get(oldName);
      const after = FIELD_ALIASES.get(newName);
      assert.ok(before && after, `${oldName} / ${newName}`);
      assert.equal(before.meaning, after.meaning, oldName);
      assert.ok(after.rank < before.rank, `${newName} is preferred`);
      const oldToBase = before.multiply / before.divide;
      const newToBase = after.multiply / after.divide;
      assert.ok(Math.abs(oldToBase / newToBase - factor) < 1e-12, `${oldName} → ${newName}`);
    }
  });

  it('decodes the documented clock-event bits, each once', () => {
    const bits = CLOCK_EVENT_REASONS.map((r) => r.bit);
    assert.deepEqual(bits, [0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100]);
    assert.equal(new Set(CLOCK_EVENT_REASONS.map((r) => r.reason)).size, bits.length);
  });
});
