import { screen, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { fleetRules } from '../../test/fleetFixture';
import { renderApp } from '../../test/renderApp';
import { fake } from '../../test/runtimeMock';

jest.mock('@grafana/runtime', () => ({ ...jest.requireActual('@grafana/runtime'), ...jest.requireActual('../../test/runtimeMock').runtimeMock() }));

beforeEach(() => {
  fake.rules = fleetRules;
  fake.requests = [];
});

import { pivotByKind } from '../IdleWaste';

describe('Idle waste page', () => {
  test('split, threshold and tables linking to nodes', async () => {
    renderApp('idle-waste', { idleThreshold: 0.15 });
    const split = await screen.findByTestId(testIds.idle.split);
    expect(split).toHaveTextContent('$18.75/h');
    expect(split).toHaveTextContent('19.0 % of fleet spend');
    expect(screen.getByTestId(testIds.idle.threshold)).toHaveTextContent('15.0 %');
    expect(screen.getByTestId(testIds.idle.threshold)).toHaveTextContent('threshold is 5.0 %');
    const byNode = screen.getByTestId(testIds.idle.byNode);
    const link = within(byNode).getByRole('link', { name: 'gpu-node-02' });
    expect(link).toHaveAttribute('href', expect.stringContaining('node=gpu-node-02'));
    expect(within(byNode).getByText('$300.00')).toBeInTheDocument();
    expect(within(screen.getByTestId(testIds.idle.byWorkload)).getByText('ml/trainer-0')).toBeInTheDocument();
    expect(within(screen.getByTestId(testIds.idle.byGpu)).getAllByText('$6.25/h').length).toBeGreaterThan(0);
    expect(fake.requests.some((r) => r.params.query === 'gpu:gpufleet_useful:ratio < 0.15')).toBe(true);
  });

  test('pivot puts both kinds on one row, worst first', () => {
    const rows = pivotByKind(
      [
        { labels: { node: 'a', kind: 'unallocated' }, value: 1 },
        { labels: { node: 'b', kind: 'allocated_idle' }, value: 3 },
        { labels: { node: 'a', kind: 'allocated_idle' }, value: 1 },
      ],
      ['node']
    );
    expect(rows.map((r) => [r.key, r.unallocated, r.allocatedIdle, r.total])).toEqual([
      ['b', 0, 3, 3],
      ['a', 1, 1, 2],
    ]);
  });
});
