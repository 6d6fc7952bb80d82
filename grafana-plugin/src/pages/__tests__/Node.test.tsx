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

describe('Node page', () => {
  test('GPUs with useful ratio, memory, power, temperature, throttling and XIDs; NVMe and cost', async () => {
    renderApp('node?node=gpu-node-03');
    const gpus = await screen.findByTestId(testIds.node.gpus);
    const gpu0 = within(gpus).getByText('GPU-3-0').closest('tr')!;
    expect(gpu0).toHaveTextContent('50.0 %');
    expect(gpu0).toHaveTextContent('40.0 GiB / 80.0 GiB');
    expect(gpu0).toHaveTextContent('612 W');
    expect(gpu0).toHaveTextContent('91 °C');
    expect(gpu0).toHaveTextContent('sw_thermal');
    expect(within(gpus).getByText('GPU-3-1').closest('tr')!).toHaveTextContent('XID 79 ×2');
    expect(screen.getByTestId(testIds.node.summary)).toHaveTextContent('team research');
    expect(screen.getByTestId(testIds.node.nvme)).toHaveTextContent('2.0 GiB/s');
    expect(fake.requests.every((r) => !/gpufleet_gpu_[a-z_]+\{(?![^}]*node="gpu-node-03")/.test(r.params.query ?? ''))).toBe(true);
  });

  test('without a node it asks to pick one', async () => {
    renderApp('node');
    expect(await screen.findByText(/Pick a node above/)).toBeInTheDocument();
  });
});
