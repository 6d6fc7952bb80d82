import { formatGpuHours, formatBytes, formatBytesPerSecond, formatCelsius, formatCount, formatCountOf, formatDuration, formatMoney, formatMoneyPerHour, formatRatio, formatWatts, NO_VALUE } from './format';

describe('format', () => {
  test('a count agrees with its noun', () => {
    expect(formatCountOf(1, 'straggler')).toBe('1 straggler');
    expect(formatCountOf(2, 'straggler')).toBe('2 stragglers');
    expect(formatCountOf(0, 'paid GPU')).toBe('0 paid GPUs');
    expect(formatCountOf(1200, 'GPU')).toBe('1,200 GPUs');
    expect(formatCountOf(null, 'GPU')).toBe(`${NO_VALUE} GPUs`);
    expect(formatCountOf(1, 'node', 'nodes')).toBe('1 node');
    expect(formatCountOf(3, 'bus', 'buses')).toBe('3 buses');
  });
  test('money in dollars, cents dropped for large amounts', () => {
    expect(formatMoney(1234.5)).toBe('$1,234.50');
    expect(formatMoney(123456.7)).toBe('$123,457');
    expect(formatMoney(-2.5)).toBe('-$2.50');
  });
  test('money converted to the configured currency', () => {
    expect(formatMoney(10, { currency: 'EUR', currencyPerDollar: 0.5 })).toBe('€5.00');
  });
  test('unknown currency code keeps the amount and names the code', () => {
    expect(formatMoney(10, { currency: 'XQZ', currencyPerDollar: 1 })).toMatch(/10\.00/);
  });
  test('missing or non-finite values show a dash', () => {
    for (const f of [formatMoney, formatMoneyPerHour, formatRatio, formatCount, formatBytes, formatBytesPerSecond, formatWatts, formatCelsius, formatDuration]) {
      expect(f(null)).toBe(NO_VALUE);
      expect(f(undefined)).toBe(NO_VALUE);
      expect(f(Number.NaN)).toBe(NO_VALUE);
      expect(f(Number.POSITIVE_INFINITY)).toBe(NO_VALUE);
    }
  });
  test('rates, ratios and units', () => {
    expect(formatMoneyPerHour(2.5)).toBe('$2.50/h');
    expect(formatRatio(0.4567)).toBe('45.7 %');
    expect(formatCount(12345.6)).toBe('12,346');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(80 * 1024 ** 3)).toBe('80.0 GiB');
    expect(formatBytesPerSecond(1536)).toBe('1.5 KiB/s');
    expect(formatWatts(301.4)).toBe('301 W');
    expect(formatCelsius(71.6)).toBe('72 °C');
  });
  test('GPU-hours', () => {
    expect(formatGpuHours(0.0625)).toBe('0.06');
    expect(formatGpuHours(1234.4)).toBe('1,234');
    expect(formatGpuHours(null)).toBe(NO_VALUE);
  });
  test('durations in the largest whole unit', () => {
    expect(formatDuration(86400 * 30)).toBe('30d');
    expect(formatDuration(21600)).toBe('6h');
    expect(formatDuration(90)).toBe('90s');
    expect(formatDuration(300)).toBe('5m');
  });
});
