import { parseTime, resolveRange } from './timeRange';

const NOW = Date.UTC(2024, 0, 10, 12);

describe('time range', () => {
  test('relative, absolute and ISO times', () => {
    expect(parseTime('now', NOW)).toBe(NOW);
    expect(parseTime('now-6h', NOW)).toBe(NOW - 6 * 3600 * 1000);
    expect(parseTime('now-30d', NOW)).toBe(NOW - 30 * 86400 * 1000);
    expect(parseTime('1704067200000', NOW)).toBe(1704067200000);
    expect(parseTime('2024-01-01T00:00:00Z', NOW)).toBe(Date.UTC(2024, 0, 1));
    expect(parseTime('yesterday', NOW)).toBeNull();
  });
  test('unreadable or reversed ranges fall back to the default', () => {
    expect(resolveRange('garbage', 'now', NOW)).toMatchObject({ from: 'now-24h', to: 'now', seconds: 86400 });
    expect(resolveRange('now', 'now-1h', NOW).seconds).toBe(86400);
    expect(resolveRange(null, null, NOW).seconds).toBe(86400);
  });
  test('a readable range keeps its raw text', () => {
    expect(resolveRange('now-7d', 'now', NOW)).toMatchObject({ from: 'now-7d', to: 'now', seconds: 7 * 86400, toMs: NOW });
  });
});
