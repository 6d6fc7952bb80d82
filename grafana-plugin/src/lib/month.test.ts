import { monthToDateLabel, monthToDateSpan, monthWindow, projectionLabel, projectMonth } from './month';

describe('month', () => {
  test('window in UTC', () => {
    const at = Date.UTC(2024, 1, 11, 0, 0, 0); // 11 Feb 2024, leap year
    const w = monthWindow(at);
    expect(w.monthStartMs).toBe(Date.UTC(2024, 1, 1));
    expect(w.elapsedSeconds).toBe(10 * 86400);
    expect(w.remainingSeconds).toBe(19 * 86400);
  });
  test('projection adds the current rate for the rest of the month', () => {
    const w = monthWindow(Date.UTC(2024, 3, 16));
    expect(projectMonth(1000, 10, w)).toBe(1000 + 10 * 15 * 24);
  });
  test('no rate: unknown; no month-to-date: counts from zero', () => {
    const w = monthWindow(Date.UTC(2024, 3, 30));
    expect(projectMonth(1000, null, w)).toBeNull();
    expect(projectMonth(null, 1, w)).toBe(24);
  });
});

describe('month to date', () => {
  const window = monthWindow(Date.UTC(2026, 10, 22, 0, 5));
  const nov1 = Date.UTC(2026, 10, 1) / 1000;

  test('data that begins mid-month counts from its first sample, and says so', () => {
    const first = Date.UTC(2026, 10, 22, 0, 3, 40) / 1000;
    const span = monthToDateSpan(window, first, 2520);
    expect(span).toEqual({ sinceMs: first * 1000, dataBeginsLater: true });
    expect(monthToDateLabel(span)).toBe('since 2026-11-22 00:03 UTC, when the data begins');
    expect(projectionLabel(span, 0.62)).toBe(
      'spend since 2026-11-22 00:03 UTC + current spend rate for the rest of the month'
    );
  });

  test('data from before the month (first seen within one sampling step of its start) is the whole month', () => {
    const span = monthToDateSpan(window, nov1 + 2400, 2520);
    expect(span).toEqual({ sinceMs: window.monthStartMs, dataBeginsLater: false });
    expect(monthToDateLabel(span)).toBe('since 2026-11-01 (UTC)');
    expect(projectionLabel(span, 100)).toBe('month to date + current spend rate for the rest of the month');
    expect(monthToDateSpan(window, nov1 + 2521, 2520).dataBeginsLater).toBe(true);
  });

  test('an unknown first sample keeps the month start; no spend yet is said, not shown as zero', () => {
    expect(monthToDateSpan(window, null, 2520)).toEqual({ sinceMs: window.monthStartMs, dataBeginsLater: false });
    expect(monthToDateSpan(window, Number.NaN, 2520).dataBeginsLater).toBe(false);
    expect(projectionLabel(monthToDateSpan(window, null, 2520), null)).toMatch(/no spend recorded this month yet/);
  });
});
