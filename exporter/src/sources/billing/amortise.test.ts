import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOURS_PER_YEAR, ownedGpuHourlyCost, ownedServerHourlyCost, type OwnedHardware } from './amortise.js';

const server: OwnedHardware = {
  capex: 280000,
  years: 4,
  powerKw: 10.2,
  energyCostPerKwh: 0.12,
  pue: 1.3,
  colocationPerMonth: 1500,
};

describe('owned hardware amortisation', () => {
  it('uses a 365-day year', () => {
    assert.equal(HOURS_PER_YEAR, 365 * 24);
  });

  it('adds depreciation, energy at PUE and colocation per server-hour', () => {
    // 280000 / (4 × 8760) = 7.990867579908676
    // 10.2 kW × 1.3 × 0.12 $/kWh = 1.5912
    // 1500 × 12 / 8760 = 2.054794520547945
    const expected = 7.990867579908676 + 1.5912 + 2.054794520547945; // 11.636862100456621
    assert.ok(Math.abs(ownedServerHourlyCost(server) - expected) < 1e-9);
  });

  it('shares the server-hour among its GPUs', () => {
    assert.ok(Math.abs(ownedGpuHourlyCost(server, 8) - 1.4546077625570776) < 1e-9);
  });

  it('is depreciation alone when running costs are zero', () => {
    const bare: OwnedHardware = { capex: 87600, years: 1, powerKw: 0, energyCostPerKwh: 0, pue: 1, colocationPerMonth: 0 };
    // 87600 $ over 8760 h = 10 $/h; 4 GPUs → 2.5 $/GPU-hour
    assert.equal(ownedGpuHourlyCost(bare, 4), 2.5);
  });

  it('counts energy at the facility PUE', () => {
    const powerOnly: OwnedHardware = { capex: 0, years: 3, powerKw: 5, energyCostPerKwh: 0.2, pue: 1.5, colocationPerMonth: 0 };
    // 5 kW × 1.5 × 0.2 = 1.5 $/h over 2 GPUs
    assert.ok(Math.abs(ownedGpuHourlyCost(powerOnly, 2) - 0.75) < 1e-12);
  });

  it('spreads monthly colocation over 730 hours a month', () => {
    const colo: OwnedHardware = { capex: 0, years: 1, powerKw: 0, energyCostPerKwh: 0, pue: 1, colocationPerMonth: 730 };
    // 730 × 12 / 8760 = 1 $/h
    assert.ok(Math.abs(ownedServerHourlyCost(colo) - 1) < 1e-12);
  });
});
