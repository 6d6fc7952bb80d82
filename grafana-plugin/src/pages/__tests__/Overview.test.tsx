import { screen, within } from '@testing-library/react';
import { testIds } from '../../components/testIds';
import { fleetRules } from '../../test/fleetFixture';
import { renderApp } from '../../test/renderApp';
import { fake, runtimeMock } from '../../test/runtimeMock';

jest.mock('@grafana/runtime', () => ({ ...jest.requireActual('@grafana/runtime'), ...jest.requireActual('../../test/runtimeMock').runtimeMock() }));
void runtimeMock;

beforeEach(() => {
  fake.rules = fleetRules;
  fake.requests = [];
});

describe('Overview page', () => {
  test('shows spend, cost per useful GPU-hour, idle waste split, offers and alerts', async () => {
    renderApp('overview');
    const spend = await screen.findByTestId(testIds.overview.spendRate);
    expect(spend).toHaveTextContent('$98.50/h');
    expect(spend).toHaveTextContent('16 paid GPUs');
    expect(screen.getByTestId(testIds.overview.spendRange)).toHaveTextContent('$2,364.00');
    expect(screen.getByTestId(testIds.overview.costPerUseful)).toHaveTextContent('$12.31');
    expect(screen.getByTestId(testIds.overview.usefulRatio)).toHaveTextContent('50.0 %');
    const idle = screen.getByTestId(testIds.overview.idleWaste);
    expect(idle).toHaveTextContent('$18.75/h');
    expect(idle).toHaveTextContent('unallocated $12.50/h');
    expect(screen.getByTestId(testIds.overview.stragglers)).toHaveTextContent('1node slowing a job down');
    const offers = screen.getByTestId(testIds.overview.offers);
    expect(within(offers).getByText('Hyperscaler on demand')).toBeInTheDocument();
    expect(within(offers).getByText('25.0 %')).toBeInTheDocument();
    expect(within(offers).getByText('-$800.00')).toBeInTheDocument();
    expect(within(screen.getByTestId(testIds.overview.topNodes)).getByRole('link', { name: 'gpu-node-02' })).toHaveAttribute(
      'href',
      expect.stringContaining('/a/gpufleet-gpufleet-app/node?')
    );
    expect(within(screen.getByTestId(testIds.overview.alerts)).getByText('GpuStragglerDetected')).toBeInTheDocument();
  });

  test('queries go through the data source proxy of the chosen data source', async () => {
    renderApp('overview');
    await screen.findByTestId(testIds.overview.spendRate);
    expect(fake.requests.length).toBeGreaterThan(10);
    for (const request of fake.requests) {
      expect(request.url).toMatch(/^\/api\/datasources\/proxy\/uid\/prom\/api\/v1\//);
    }
  });

  test('an empty fleet says the exporter is not scraped', async () => {
    fake.rules = [];
    renderApp('overview');
    expect(await screen.findByTestId(testIds.state.empty)).toHaveTextContent('No gpufleet series');
    expect(screen.getByTestId(testIds.state.empty)).toHaveTextContent('Is the exporter scraped?');
  });

  test('recorded series missing says to load the rules', async () => {
    fake.rules = [{ match: /^count\(gpufleet_gpu_info/, vector: [{ labels: {}, value: 16 }] }];
    renderApp('overview');
    expect(await screen.findByTestId(testIds.state.empty)).toHaveTextContent('recording rules are not loaded');
  });

  test('a failing Prometheus shows the reason', async () => {
    fake.rules = [{ match: /./, error: { status: 502, message: 'connection refused' } }];
    renderApp('overview');
    expect(await screen.findByTestId(testIds.state.error)).toHaveTextContent('did not answer (502)');
  });
});
