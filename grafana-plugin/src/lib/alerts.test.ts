import { groupFiringAlerts } from './alerts';

const alert = (labels: Record<string, string>) => ({ labels: { alertstate: 'firing', ...labels }, value: 1 });

describe('firing alerts', () => {
  test('instances of one alert on one node are one row with a count; critical first', () => {
    const rows = groupFiringAlerts([
      ...[0, 1, 2].map((gpu) => alert({ alertname: 'GpuThermalThrottling', severity: 'warning', cluster: 'c', node: 'n4', gpu: String(gpu) })),
      alert({ alertname: 'GpuThermalThrottling', severity: 'warning', cluster: 'c', node: 'n2', gpu: '0' }),
      alert({ alertname: 'GpuMissing', severity: 'critical', cluster: 'c', node: 'n9' }),
      alert({ alertname: 'GpuTeamLowUtilization', severity: 'info', cluster: 'c', team: 'research' }),
      alert({ alertname: 'GpufleetExporterDown', cluster: 'c' }),
    ]);
    expect(rows.map((r) => [r.alertname, r.node || r.scope, r.count])).toEqual([
      ['GpuMissing', 'n9', 1],
      ['GpuThermalThrottling', 'n2', 1],
      ['GpuThermalThrottling', 'n4', 3],
      ['GpuTeamLowUtilization', 'research', 1],
      ['GpufleetExporterDown', 'c', 1],
    ]);
    expect(rows[4].severity).toBe('none');
  });
  test('no alerts, no rows', () => {
    expect(groupFiringAlerts([])).toEqual([]);
  });
});
