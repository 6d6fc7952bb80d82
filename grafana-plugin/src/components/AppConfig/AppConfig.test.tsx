import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { PluginType } from '@grafana/data';
import AppConfig, { AppConfigProps } from './AppConfig';
import { testIds } from '../testIds';
import { fake } from '../../test/runtimeMock';

jest.mock('@grafana/runtime', () => ({ ...jest.requireActual('@grafana/runtime'), ...jest.requireActual('../../test/runtimeMock').runtimeMock() }));

function props(jsonData: Record<string, unknown>): AppConfigProps {
  return {
    plugin: { meta: { id: 'gpufleet-gpufleet-app', name: 'gpufleet', type: PluginType.app, enabled: true, pinned: true, jsonData, info: {} } },
    query: {},
  } as unknown as AppConfigProps;
}

describe('Configuration page', () => {
  beforeEach(() => (fake.posts = []));

  test('saves settings through the plugin settings API', async () => {
    render(<AppConfig {...props({ idleThreshold: 0.1 })} />);
    fireEvent.change(screen.getByTestId(testIds.appConfig.idleThreshold), { target: { value: '0.2' } });
    fireEvent.change(screen.getByTestId(testIds.appConfig.currency), { target: { value: 'eur' } });
    fireEvent.click(screen.getByTestId(testIds.appConfig.submit));
    await waitFor(() => expect(screen.getByTestId(testIds.appConfig.saved)).toHaveTextContent('Settings saved'));
    expect(fake.posts).toHaveLength(1);
    expect(fake.posts[0].url).toBe('/api/plugins/gpufleet-gpufleet-app/settings');
    expect(fake.posts[0].data).toMatchObject({ enabled: true, pinned: true, jsonData: { idleThreshold: 0.2, currency: 'EUR', currencyPerDollar: 1 } });
  });

  test('lists the offers the data source knows', async () => {
    render(<AppConfig {...props({})} />);
    expect(await screen.findByText(/Offers in the data/)).toBeInTheDocument();
  });

  test('invalid values block saving and say why', () => {
    render(<AppConfig {...props({})} />);
    fireEvent.change(screen.getByTestId(testIds.appConfig.idleThreshold), { target: { value: '3' } });
    expect(screen.getByText(/between 0 and 1/)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.appConfig.submit)).toBeDisabled();
  });
});
