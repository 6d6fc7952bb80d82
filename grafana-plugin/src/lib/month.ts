/** Month-to-date and projected month spend, in UTC (billing months are UTC in FOCUS exports). */

export interface MonthWindow {
  /** Seconds from the start of the month to `atMs`. */
  elapsedSeconds: number;
  /** Seconds from `atMs` to the start of the next month. */
  remainingSeconds: number;
  monthStartMs: number;
}

export function monthWindow(atMs: number): MonthWindow {
  const at = new Date(atMs);
  const monthStartMs = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
  const nextMonthMs = Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1);
  return {
    elapsedSeconds: Math.max(0, Math.round((atMs - monthStartMs) / 1000)),
    remainingSeconds: Math.max(0, Math.round((nextMonthMs - atMs) / 1000)),
    monthStartMs,
  };
}

/**
 * Projected spend for the whole month: what was spent so far plus the current burn rate for the
 * hours left. The current rate (not the month's average) is used because a fleet that grew or
 * shrank this month keeps spending at its present size; with no rate the projection is unknown.
 */
export function projectMonth(monthToDateDollars: number | null, dollarsPerHourNow: number | null, window: MonthWindow): number | null {
  if (dollarsPerHourNow === null || !Number.isFinite(dollarsPerHourNow)) {
    return null;
  }
  const spent = monthToDateDollars !== null && Number.isFinite(monthToDateDollars) ? monthToDateDollars : 0;
  return spent + dollarsPerHourNow * (window.remainingSeconds / 3600);
}
