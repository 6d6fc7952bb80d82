import { fireEvent, screen, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { fleetRules } from '../../test/fleetFixture';
import { renderApp } from '../../test/renderApp';
import { fake } from '../../test/runtimeMock';

jest.mock('@grafana/runtime', () => ({ ...jest.requireActual('@grafana/runtime'), ...jest.requireActual('../../test/runtimeMock').runtimeMock() }));

beforeEach(() => {
  fake.rules = fleetRules;
  fake.requests = [];
});

import { costCsv, costRows, COST_CSV_HEADER } from '../Cost';

describe('Cost page', () => {
  test('effective $/GPU-hour and $/useful GPU-hour per team with month-to-date and projection', async () => {
    renderApp('cost?from=now-24h&to=now');
    const table = await screen.findByTestId(testIds.cost.table);
    const research = within(table).getByText('research').closest('tr')!;
    // 1182 $ over 192 paid GPU-hours and 48 useful GPU-hours
    expect(research).toHaveTextContent('$6.16');
    expect(research).toHaveTextContent('$24.63');
    expect(research).toHaveTextContent('25.0 %');
    expect(research).toHaveTextContent('$49.25/h');
    expect(screen.getByTestId(testIds.cost.monthToDate)).toHaveTextContent('$2,364.00');
    expect(screen.getByTestId(testIds.cost.projected)).toHaveTextContent('$');
  });

  test('a fleet whose data begins this month: month to date counts from the first sample and says so', async () => {
    const first = Date.UTC(2024, 0, 15, 9, 30);
    jest.useFakeTimers({ now: Date.UTC(2024, 0, 20), doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'setInterval', 'queueMicrotask'] });
    try {
      fake.rules = [{ match: /^min \(min_over_time\(timestamp\(fleet:gpufleet_cost:dollars_per_hour/, vector: [{ labels: {}, value: first / 1000 }] }, ...fleetRules];
      renderApp('cost');
      const mtd = await screen.findByTestId(testIds.cost.monthToDate);
      expect(mtd).toHaveTextContent('$2,364.00');
      expect(mtd).toHaveTextContent('since 2024-01-15 09:30 UTC, when the data begins');
      expect(screen.getByTestId(testIds.cost.projected)).toHaveTextContent('spend since 2024-01-15 09:30 UTC + current spend rate');
      expect(fake.requests.some((r) => r.params.query?.startsWith('min (min_over_time(timestamp(fleet:gpufleet_cost:dollars_per_hour)[1641600s:2280s])'))).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  test('the dimension switch sits on the page-controls row, not in the shared toolbar', async () => {
    renderApp('cost');
    await screen.findByTestId(testIds.cost.table);
    const toolbar = screen.getByTestId(testIds.toolbar.container);
    expect(within(toolbar).queryByLabelText('Provider')).toBeNull();
    expect(within(screen.getByTestId(testIds.toolbar.pageControls)).getByLabelText('Provider')).toBeInTheDocument();
  });

  test('dimension switch queries the provider level', async () => {
    renderApp('cost');
    await screen.findByTestId(testIds.cost.table);
    fireEvent.click(within(screen.getByTestId(testIds.cost.dimension)).getByLabelText('Provider'));
    await screen.findByTestId(testIds.cost.table);
    expect(fake.requests.some((r) => r.params.query?.startsWith('sum by (provider) (provider:gpufleet_cost:dollars_per_hour'))).toBe(true);
  });

  test('CSV download builds a file from the table rows', async () => {
    const created: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => (created.push(blob), 'blob:x'));
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    renderApp('cost');
    fireEvent.click(await screen.findByTestId(testIds.cost.download));
    expect(click).toHaveBeenCalled();
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(created[0]);
    });
    expect(text.split('\r\n')[0]).toBe(COST_CSV_HEADER.join(','));
    expect(text).toContain('team,research,49.25,8,1182,192,48,6.15625,24.625,0.25,');
  });

  test('rows join answers and keep missing values unknown', () => {
    const rows = costRows(
      { instant: { costNow: [{ labels: { team: 'a' }, value: 2 }], gpusNow: [], cost: [], paidHours: [], usefulHours: [], monthToDate: [] }, range: {} },
      'team',
      Date.UTC(2024, 0, 31)
    );
    expect(rows).toEqual([expect.objectContaining({ key: 'a', dollarsPerHourNow: 2, cost: null, perUsefulGpuHour: null, projectedMonth: 48 })]);
    expect(costCsv(rows, 'team')).toContain('team,a,2,,,,,,,,,48');
  });
});
