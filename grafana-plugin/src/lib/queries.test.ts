import { costQueries, idleWasteQueries, infraQueries, isCostDimension, nodeQueries, overviewQueries, stragglerWorkloadQueries } from './queries';

const allQueries = (set: { instant: Record<string, string>; range: Record<string, string> }) => [...Object.values(set.instant), ...Object.values(set.range)];

describe('page queries', () => {
  test('every query of every page reads recorded series or small raw series, never raw DCGM names', () => {
    const sets = [
      overviewQueries({ cluster: 'c' }, 30 * 86400),
      costQueries({}, 'team', 86400, 86400 * 10),
      idleWasteQueries({}, 3600, 0.1),
      stragglerWorkloadQueries({}, 'job-1'),
      nodeQueries({}, 'n1', 3600),
      infraQueries({}, 3600),
    ];
    for (const query of sets.flatMap(allQueries)) {
      expect(query).not.toMatch(/DCGM_FI_/);
      expect(query).toMatch(/gpufleet|ALERTS/);
    }
  });
  test('the cluster choice applies to every overview query', () => {
    for (const query of allQueries(overviewQueries({ cluster: 'east' }, 3600))) {
      expect(query).toContain('cluster="east"');
    }
  });
  test('raw exporter series are only read for one node', () => {
    for (const query of allQueries(nodeQueries({}, 'gpu-node-7', 30 * 86400))) {
      if (/gpufleet_(gpu|nvme)_/.test(query) && !query.includes(':')) {
        expect(query).toContain('node="gpu-node-7"');
      }
    }
  });
  test('cost queries use the chosen dimension level', () => {
    const set = costQueries({}, 'provider', 3600, 7200);
    expect(set.instant.costNow).toBe('sum by (provider) (provider:gpufleet_cost:dollars_per_hour)');
    expect(set.instant.monthToDate).toContain('[7200s:');
  });
  test('the idle threshold is a comparison on the recorded useful ratio', () => {
    expect(idleWasteQueries({}, 3600, 0.15).instant.gpuUseful).toBe('gpu:gpufleet_useful:ratio < 0.15');
  });
  test('workload names are escaped', () => {
    expect(stragglerWorkloadQueries({}, 'a"b').instant.scores).toBe('node_workload:gpufleet_straggler:score{workload="a\\"b"}');
  });
  test('cost dimension guard', () => {
    expect(isCostDimension('team')).toBe(true);
    expect(isCostDimension('node')).toBe(false);
    expect(isCostDimension(null)).toBe(false);
  });
});
