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

export interface MonthToDateSpan {
  /** Where the month-to-date spend starts counting, epoch milliseconds. */
  sinceMs: number;
  /** True when the data begins after the month started: the spend before it is not known, not zero. */
  dataBeginsLater: boolean;
}

/**
 * Where the month-to-date spend counts from: the month start, or the first sample when the data begins
 * later in the month. `firstSampleSeconds` may lag the true first sample by up to `resolutionSeconds`
 * (the sampling step it was found at), so a first sample within that of the month start counts as the
 * whole month. Unknown or unreadable first samples leave the month start.
 */
export function monthToDateSpan(window: MonthWindow, firstSampleSeconds: number | null, resolutionSeconds: number): MonthToDateSpan {
  if (firstSampleSeconds === null || !Number.isFinite(firstSampleSeconds)) {
    return { sinceMs: window.monthStartMs, dataBeginsLater: false };
  }
  const firstMs = firstSampleSeconds * 1000;
  const slackMs = Math.max(0, Number.isFinite(resolutionSeconds) ? resolutionSeconds : 0) * 1000;
  if (firstMs <= window.monthStartMs + slackMs) {
    return { sinceMs: window.monthStartMs, dataBeginsLater: false };
  }
  return { sinceMs: firstMs, dataBeginsLater: true };
}

/** "since 2024-02-01 (UTC)", or "since 2024-02-11 13:05 UTC, when the data begins". */
export function monthToDateLabel(span: MonthToDateSpan): string {
  const iso = new Date(span.sinceMs).toISOString();
  return span.dataBeginsLater
    ? `since ${iso.slice(0, 16).replace('T', ' ')} UTC, when the data begins`
    : `since ${iso.slice(0, 10)} (UTC)`;
}

/** What the projection adds up, in words that match the month-to-date tile. */
export function projectionLabel(span: MonthToDateSpan, monthToDateDollars: number | null): string {
  if (monthToDateDollars === null || !Number.isFinite(monthToDateDollars)) {
    return 'current spend rate for the rest of the month (no spend recorded this month yet)';
  }
  return span.dataBeginsLater
    ? `spend since ${new Date(span.sinceMs).toISOString().slice(0, 16).replace('T', ' ')} UTC + current spend rate for the rest of the month`
    : 'month to date + current spend rate for the rest of the month';
}
