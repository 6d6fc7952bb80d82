import { alignTo, bandPath, linePath } from './sparkline';

const extent = { t0: 0, t1: 10, v0: 0, v1: 1 };
const box = { width: 100, height: 10 };

describe('sparkline geometry', () => {
  test('line with a gap', () => {
    expect(linePath([0, 5, 10], [0, Number.NaN, 1], extent, box)).toBe('M0.0,10.0M100.0,0.0');
    expect(linePath([0, 10], [0.5, 2], extent, box)).toBe('M0.0,5.0L100.0,0.0');
  });
  test('band closes over both edges', () => {
    expect(bandPath([0, 10], [0.2, 0.2], [0.8, 0.8], extent, box)).toBe('M0.0,2.0L100.0,2.0L100.0,8.0L0.0,8.0Z');
    expect(bandPath([0], [Number.NaN], [1], extent, box)).toBe('');
  });
  test('align by timestamp', () => {
    expect(alignTo([1, 2, 3], [3, 1], [30, 10])).toEqual([10, Number.NaN, 30]);
  });
});
