/**
 * Owned hardware turned into a price per GPU-hour: straight-line depreciation of the purchase plus
 * the running costs (energy at the facility's PUE, colocation rent), spread over the server's GPUs.
 * Pure arithmetic so finance can check it by hand.
 */

/** 365 days: the convention of hourly cloud price lists, so owned and rented prices compare. */
export const HOURS_PER_YEAR = 8760;

export interface OwnedHardware {
  /** Purchase price of the whole server, in dollars. */
  capex: number;
  /** Straight-line amortisation period. */
  years: number;
  /** Average electrical draw of the server, in kilowatts. */
  powerKw: number;
  energyCostPerKwh: number;
  /** Facility power usage effectiveness (≥ 1): total facility energy per unit of IT energy. */
  pue: number;
  colocationPerMonth: number;
}

/** Dollars per hour for the whole server. */
export function ownedServerHourlyCost(owned: OwnedHardware): number {
  const depreciation = owned.capex / (owned.years * HOURS_PER_YEAR);
  const energy = owned.powerKw * owned.pue * owned.energyCostPerKwh;
  const colocation = (owned.colocationPerMonth * 12) / HOURS_PER_YEAR;
  return depreciation + energy + colocation;
}

/** Dollars per GPU-hour: the server's hourly cost shared equally by its GPUs. */
export function ownedGpuHourlyCost(owned: OwnedHardware, gpus: number): number {
  return ownedServerHourlyCost(owned) / gpus;
}
