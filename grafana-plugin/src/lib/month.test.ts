import { monthWindow, projectMonth } from './month';

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
