import { byLabels, parseInstant, parseLabelValues, parseRange, PrometheusError, scalarOf } from './prometheus';

describe('prometheus answers', () => {
  test('vector with special values; NaN dropped', () => {
    const samples = parseInstant({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          { metric: { node: 'a' }, value: [1, '1.5'] },
          { metric: { node: 'b' }, value: [1, '+Inf'] },
          { metric: { node: 'c' }, value: [1, 'NaN'] },
          { metric: { node: 5 }, value: [1, '2'] },
          'junk',
        ],
      },
    });
    expect(samples).toEqual([
      { labels: { node: 'a' }, value: 1.5 },
      { labels: { node: 'b' }, value: Infinity },
      { labels: {}, value: 2 },
    ]);
  });
  test('scalar answers become one sample', () => {
    expect(parseInstant({ status: 'success', data: { resultType: 'scalar', result: [1, '3'] } })).toEqual([{ labels: {}, value: 3 }]);
    expect(scalarOf([])).toBeNull();
  });
  test('errors and malformed bodies throw PrometheusError with the reason', () => {
    expect(() => parseInstant({ status: 'error', error: 'parse error at char 3' })).toThrow('parse error at char 3');
    expect(() => parseInstant('<html>')).toThrow(PrometheusError);
    expect(() => parseInstant({ status: 'success', data: { resultType: 'matrix', result: [] } })).toThrow(/vector/);
    expect(() => parseRange({ status: 'success', data: { resultType: 'matrix', result: {} } })).toThrow(/list/);
  });
  test('matrix parsed into parallel arrays', () => {
    const series = parseRange({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: { node: 'a' }, values: [[10, '0.5'], [40, '0.6'], ['x', '1']] }] },
    });
    expect(series).toEqual([{ labels: { node: 'a' }, times: [10, 40], values: [0.5, 0.6] }]);
  });
  test('label values sorted, non-strings dropped', () => {
    expect(parseLabelValues({ status: 'success', data: ['b', 'a', 3] })).toEqual(['a', 'b']);
  });
  test('index by several labels', () => {
    const map = byLabels([{ labels: { a: '1', b: '2' }, value: 3 }], ['a', 'b']);
    expect(map.get('1\u00002')?.value).toBe(3);
  });
});
