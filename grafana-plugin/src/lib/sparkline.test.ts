import { alignTo, bandPath, dotsPath, linePath, timeExtent } from './sparkline';

const extent = { t0: 0, t1: 10, v0: 0, v1: 1 };
const box = { width: 100, height: 10 };

describe('sparkline geometry', () => {
  test('line with a gap', () => {
    expect(linePath([0, 5, 10], [0, Number.NaN, 1], extent, box)).toBe('M0.0,10.0M100.0,0.0');
    expect(linePath([0, 10], [0.5, 2], extent, box)).toBe('M0.0,5.0L100.0,0.0');
  });
  test('two points are a line', () => {
    expect(linePath([9, 10], [0.5, 0.5], extent, box)).toBe('M90.0,5.0L100.0,5.0');
    expect(dotsPath([9, 10], [0.5, 0.5], extent, box)).toBe('');
  });
  test('a single point is a dot', () => {
    expect(dotsPath([10], [0.5], extent, box)).toBe('M100.0,5.0h0');
    expect(dotsPath([0, 5, 10], [0, Number.NaN, 1], extent, box)).toBe('M0.0,10.0h0M100.0,0.0h0');
    expect(dotsPath([0, 5, 10], [0.2, 0.3, Number.NaN], extent, box)).toBe('');
    expect(dotsPath([0], [Number.NaN], extent, box)).toBe('');
  });
  test('a zero-length time extent puts the point at the newest edge, not the oldest', () => {
    const instant = { t0: 5, t1: 5, v0: 0, v1: 1 };
    expect(dotsPath([5], [1], instant, box)).toBe('M100.0,0.0h0');
  });
  test('the inset keeps edge points inside the box', () => {
    const inset = { width: 100, height: 10, inset: 2 };
    expect(linePath([0, 10], [0, 1], extent, inset)).toBe('M2.0,8.0L98.0,2.0');
  });
  test('band closes over both edges', () => {
    expect(bandPath([0, 10], [0.2, 0.2], [0.8, 0.8], extent, box)).toBe('M0.0,2.0L100.0,2.0L100.0,8.0L0.0,8.0Z');
    expect(bandPath([0], [Number.NaN], [1], extent, box)).toBe('');
  });
  test('time extent over finite points of every series', () => {
    expect(
      timeExtent([
        { times: [1, 2, 3], values: [Number.NaN, 1, 1] },
        { times: [5], values: [0] },
      ])
    ).toEqual({ t0: 2, t1: 5 });
    expect(timeExtent([{ times: [1], values: [Number.NaN] }])).toBeNull();
    expect(timeExtent([])).toBeNull();
  });
  test('align by timestamp', () => {
    expect(alignTo([1, 2, 3], [3, 1], [30, 10])).toEqual([10, Number.NaN, 30]);
  });
});
