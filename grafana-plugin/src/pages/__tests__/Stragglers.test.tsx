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

describe('Stragglers page', () => {
  test('ranks the workload nodes with cause and draws one small multiple per node', async () => {
    renderApp('stragglers');
    const ranking = await screen.findByTestId(testIds.stragglers.ranking);
    const rows = within(ranking).getAllByRole('row').slice(1);
    expect(rows[0]).toHaveTextContent('gpu-node-03');
    expect(rows[0]).toHaveTextContent('9.4');
    expect(rows[0]).toHaveTextContent('yes: thermal');
    expect(rows[1]).toHaveTextContent('gpu-node-01');
    const multiples = screen.getAllByTestId(testIds.stragglers.multiple);
    expect(multiples.map((m) => m.getAttribute('data-node'))).toEqual(['gpu-node-03', 'gpu-node-01', 'gpu-node-04']);
    expect(multiples[0]).toHaveAttribute('data-flagged', 'true');
    expect(multiples[0].querySelectorAll('path').length).toBe(3);
    expect(within(screen.getByTestId(testIds.stragglers.workloads)).getByText('llm-pretrain')).toBeInTheDocument();
  });

  test('no multi-node workload: says what to check', async () => {
    fake.rules = fleetRules.filter((r) => !String(r.match).includes('workload'));
    renderApp('stragglers');
    expect(await screen.findByTestId(testIds.state.empty)).toBeInTheDocument();
  });
});
