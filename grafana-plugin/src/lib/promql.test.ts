import { chartStep, duration, escapeLabelValue, integrate, integrationStep, presenceQueries, regexAlternation, selector, sumBy } from './promql';

describe('promql builders', () => {
  test('selector escapes hostile label values', () => {
    expect(selector({ cluster: 'a"b\\c\nd' })).toBe('{cluster="a\\"b\\\\c\\nd"}');
    expect(escapeLabelValue('plain')).toBe('plain');
  });
  test('selector skips an empty cluster and empty labels', () => {
    expect(selector({})).toBe('');
    expect(selector({ cluster: '' }, { node: 'n1', team: '' })).toBe('{node="n1"}');
  });
  test('steps keep range queries small', () => {
    expect(integrationStep(3600)).toBe(15);
    expect(integrationStep(900)).toBe(15);
    expect(integrationStep(30 * 86400)).toBe(3600);
    expect(chartStep(3600)).toBe(30);
    expect(chartStep(30 * 86400) % 30).toBe(0);
    expect((30 * 86400) / chartStep(30 * 86400)).toBeLessThanOrEqual(200);
    expect(duration(0.2)).toBe('1s');
  });
  test('fleet series over more than two days integrate their hourly recordings', () => {
    expect(integrate('fleet:gpufleet_cost:dollars_per_hour', { cluster: 'c1' }, 30 * 86400)).toBe(
      'sum (sum_over_time(fleet:gpufleet_cost:dollars_1h{cluster="c1"}[2592000s:1h]))' +
        ' or sum (sum_over_time(fleet:gpufleet_cost:dollars_per_hour{cluster="c1"}[172800s:240s])) * 0.06666666666666667'
    );
    expect(integrate('team:gpufleet_cost:dollars_per_hour', {}, 20 * 86400, ['team'])).toMatch(/\[1728000s:2400s\]\)\) \* 0\.6+7? or sum by \(team\)/);
  });
  test('other series integrate the rate at the integration step, scaled to hours', () => {
    expect(integrate('team:gpufleet_cost:dollars_per_hour', {}, 6 * 3600, ['team'])).toBe(
      'sum by (team) (sum_over_time(team:gpufleet_cost:dollars_per_hour[21600s:30s])) * 0.008333333333333333'
    );
    expect(integrate('fleet:gpufleet_cost:dollars_per_hour', {}, 3600)).toContain('fleet:gpufleet_cost:dollars_per_hour[3600s:15s]');
    expect(integrate('fleet:gpufleet_cost:dollars_per_hour', {}, 86400)).toContain('fleet:gpufleet_cost:dollars_per_hour[86400s:120s]');
  });
  test('sumBy and presence probes', () => {
    expect(sumBy('node:gpufleet_useful:ratio', { cluster: 'x' }, ['node'], { team: 'ml' })).toBe(
      'sum by (node) (node:gpufleet_useful:ratio{cluster="x",team="ml"})'
    );
    expect(presenceQueries({})).toEqual({ recorded: 'count(fleet:gpufleet_gpus:count)', raw: 'count(gpufleet_gpu_info)' });
  });
  test('regex alternation escapes metacharacters for a PromQL string', () => {
    expect(regexAlternation(['A.b', 'C'])).toBe('A\\\\.b|C');
  });
});
