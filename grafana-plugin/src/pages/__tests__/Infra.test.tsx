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

describe('Bare metal vs virtualised page', () => {
  test('one row per model and infra', async () => {
    renderApp('bare-metal-vs-virtualised');
    const table = await screen.findByTestId(testIds.infra.table);
    const vm = within(table).getByText('Virtual machine').closest('tr')!;
    expect(vm).toHaveTextContent('63.0 %');
    expect(vm).toHaveTextContent('8.0 %');
    expect(vm).toHaveTextContent('$4.40');
    expect(within(table).getByText('Bare metal').closest('tr')!).toHaveTextContent('71.0 %');
  });

  test('unknown paths land on the Overview', async () => {
    renderApp('nowhere');
    expect(await screen.findByTestId(testIds.overview.container)).toBeInTheDocument();
  });
});
