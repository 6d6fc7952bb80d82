import { chartStep, duration, escapeLabelValue, firstSample, firstSampleResolution, integrate, integrationStep, minStepFromJsonData, presenceQueries, regexAlternation, selector, sumBy } from './promql';

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
    expect(chartStep(30 * 86400) % 15).toBe(0);
    expect((30 * 86400) / chartStep(30 * 86400)).toBeLessThanOrEqual(200);
    expect(duration(0.2)).toBe('1s');
  });
  test('chart step floors at the scrape interval, so a young fleet has a line within seconds', () => {
    // 15 minutes at 200 points: every 15 s (Grafana's default minimum), not every 30 s.
    expect(chartStep(900)).toBe(15);
    expect(chartStep(900, 60)).toBe(15);
    expect(chartStep(900, 200, 5)).toBe(5);
    expect(chartStep(86400, 200, 60)).toBe(480);
    expect(chartStep(900, 200, Number.NaN)).toBe(15);
    expect(chartStep(900, 0)).toBe(900);
  });
  test('minimum step from the data source scrape interval', () => {
    expect(minStepFromJsonData({ timeInterval: '30s' })).toBe(30);
    expect(minStepFromJsonData({ timeInterval: '1m' })).toBe(60);
    expect(minStepFromJsonData({ timeInterval: '500ms' })).toBe(1);
    expect(minStepFromJsonData({ timeInterval: 'soon' })).toBe(15);
    expect(minStepFromJsonData({})).toBe(15);
    expect(minStepFromJsonData(null)).toBe(15);
  });
  test('fleet series over more than two days integrate their hourly recordings', () => {
    const q = integrate('fleet:gpufleet_cost:dollars_per_hour', { cluster: 'c1' }, 30 * 86400);
    expect(q.endsWith(' or sum (sum_over_time(fleet:gpufleet_cost:dollars_1h{cluster="c1"}[2592000s:1h]))')).toBe(true);
    expect(integrate('team:gpufleet_cost:dollars_per_hour', {}, 20 * 86400, ['team'])).toMatch(/ or sum by \(team\) \(sum_over_time\(team:gpufleet_cost:dollars_per_hour\[1728000s:2400s\]\)\) \* 0\.6+7?$/);
  });
  test('a group whose data all lies in a shorter window is integrated there, at its finer step', () => {
    const start =
      'min by (team) (min_over_time(timestamp(team:gpufleet_cost:dollars_per_hour)[21600s:30s])' +
      ' or label_replace(min_over_time(timestamp(team:gpufleet_cost:dollars_per_hour)[3600s:15s]), "gpufleet_window", "3600", "", ""))';
    expect(integrate('team:gpufleet_cost:dollars_per_hour', {}, 6 * 3600, ['team'])).toBe(
      `(sum by (team) (sum_over_time(team:gpufleet_cost:dollars_per_hour[3600s:15s])) * 0.004166666666666667 and on(team) (${start} >= time() - 3600))` +
        ' or sum by (team) (sum_over_time(team:gpufleet_cost:dollars_per_hour[21600s:30s])) * 0.008333333333333333'
    );
    // A month: the last hour first, then the last two days, then the hourly recordings.
    const month = integrate('fleet:gpufleet_cost:dollars_per_hour', {}, 21 * 86400);
    const windows = [...month.matchAll(/sum_over_time\(fleet:gpufleet_cost:dollars_(?:per_hour|1h)\[(\d+s:\d+[sh])\]/g)].map((m) => m[1]);
    expect(windows).toEqual(['3600s:15s', '172800s:240s', '1814400s:1h']);
    expect(month).toContain('>= time() - 3600)) or (');
    expect(month).toContain('>= time() - 172800)) or sum (');
  });
  test('a range of an hour or less has one window', () => {
    expect(integrate('fleet:gpufleet_cost:dollars_per_hour', {}, 3600)).toBe('sum (sum_over_time(fleet:gpufleet_cost:dollars_per_hour[3600s:15s])) * 0.004166666666666667');
    expect(integrate('fleet:gpufleet_cost:dollars_per_hour', {}, 900)).toBe('sum (sum_over_time(fleet:gpufleet_cost:dollars_per_hour[900s:15s])) * 0.004166666666666667');
    expect(integrate('fleet:gpufleet_cost:dollars_per_hour', {}, 86400)).toContain('fleet:gpufleet_cost:dollars_per_hour[86400s:120s]');
  });
  test('first sample: the earliest seen on each window grid, windows kept apart for min()', () => {
    expect(firstSample('fleet:gpufleet_cost:dollars_per_hour', { cluster: 'c1' }, 21 * 86400)).toBe(
      'min (min_over_time(timestamp(fleet:gpufleet_cost:dollars_per_hour{cluster="c1"})[1814400s:2520s])' +
        ' or label_replace(min_over_time(timestamp(fleet:gpufleet_cost:dollars_per_hour{cluster="c1"})[172800s:240s]), "gpufleet_window", "172800", "", "")' +
        ' or label_replace(min_over_time(timestamp(fleet:gpufleet_cost:dollars_per_hour{cluster="c1"})[3600s:15s]), "gpufleet_window", "3600", "", ""))'
    );
    expect(firstSample('m', {}, 900)).toBe('min (min_over_time(timestamp(m)[900s:15s]))');
    expect(firstSampleResolution(21 * 86400)).toBe(2520);
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
