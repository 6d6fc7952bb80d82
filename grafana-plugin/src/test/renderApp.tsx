import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render } from '@testing-library/react';
import { AppRootProps, PluginType } from '@grafana/data';
import App from '../components/App/App';
import { PLUGIN_BASE_URL, PLUGIN_ID } from '../constants';

/** Renders the app root at a path under the app's URL, as Grafana mounts it. */
export function renderApp(path: string, jsonData: Record<string, unknown> = {}) {
  const props = {
    basename: PLUGIN_BASE_URL,
    meta: { id: PLUGIN_ID, name: 'gpufleet', type: PluginType.app, enabled: true, jsonData, info: {} },
    path: PLUGIN_BASE_URL,
    query: {},
    onNavChanged: jest.fn(),
  } as unknown as AppRootProps;
  return render(
    <MemoryRouter initialEntries={[`${PLUGIN_BASE_URL}/${path}`]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path={`${PLUGIN_BASE_URL}/*`} element={<App {...props} />} />
      </Routes>
    </MemoryRouter>
  );
}
