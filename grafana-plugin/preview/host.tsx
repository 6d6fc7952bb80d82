/**
 * The preview host: a small stand-in for Grafana's frontend that loads the real built plugin
 * (dist/module.js, an AMD module) and renders its pages. It supplies what Grafana supplies to a
 * plugin: the shared modules the bundle declares as externals, the @grafana/runtime services
 * (backend service over real HTTP, data source service listing the server's Prometheus data
 * source, location service) and a router mounted at /a/<plugin id>/.
 */
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import * as grafanaUi from '@grafana/ui';
import React, { useEffect, useLayoutEffect, useState } from 'react';
import * as ReactNamespace from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as ReactRouter from 'react-router';
import * as rxjs from 'rxjs';
import { AppPlugin, AppPluginMeta, createTheme, ThemeContext } from '@grafana/data';
import { BackendSrv, BackendSrvRequest, DataSourceSrv, FetchResponse, locationService, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { GlobalStyles } from '@grafana/ui';
import { Observable } from 'rxjs';

const PLUGIN_ID = 'gpufleet-gpufleet-app';
const PLUGIN_URL = `/public/plugins/${PLUGIN_ID}/`;

/** The modules Grafana shares with plugins (see the externals of the plugin's webpack config). */
const SHARED_MODULES: Record<string, unknown> = {
  react: ReactNamespace,
  'react/jsx-runtime': jsxRuntime,
  'react-dom': ReactDOM,
  'react-router': ReactRouter,
  rxjs,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  '@grafana/data': grafanaData,
  '@grafana/runtime': grafanaRuntime,
  '@grafana/ui': grafanaUi,
};

/** Loads an AMD module the way Grafana's SystemJS loader does: script tag, define(deps, factory). */
function loadAmdModule(url: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const define = (deps: string[], factory: (...args: unknown[]) => Record<string, unknown>) => {
      try {
        const args = deps.map((dep) => {
          if (dep === 'module') {
            return { uri: url };
          }
          if (!(dep in SHARED_MODULES)) {
            throw new Error(`${url} needs "${dep}", which Grafana does not share with plugins`);
          }
          return SHARED_MODULES[dep];
        });
        resolve(factory(...args));
      } catch (error) {
        reject(error);
      }
    };
    (define as unknown as { amd: boolean }).amd = true;
    (window as unknown as { define: unknown }).define = define;
    const script = document.createElement('script');
    script.src = url;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    document.head.appendChild(script);
  });
}

/** @grafana/runtime's backend service over window.fetch, with Grafana's error shape ({ status, data }). */
function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const controller = new AbortController();
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.params ?? {})) {
      params.append(key, String(value));
    }
    const query = params.toString();
    const url = query ? `${options.url}${options.url.includes('?') ? '&' : '?'}${query}` : options.url;
    const method = (options.method ?? 'GET').toUpperCase();
    window
      .fetch(url, {
        method,
        signal: controller.signal,
        headers: options.data !== undefined ? { 'Content-Type': 'application/json' } : undefined,
        body: options.data !== undefined ? JSON.stringify(options.data) : undefined,
      })
      .then(async (response) => {
        const text = await response.text();
        let data: unknown = text;
        try {
          data = text ? JSON.parse(text) : undefined;
        } catch {
          // Not JSON: keep the text, as Grafana does.
        }
        const result = {
          data: data as T,
          status: response.status,
          statusText: response.statusText,
          ok: response.ok,
          headers: response.headers,
          redirected: response.redirected,
          type: response.type,
          url: response.url,
          config: options,
        } as FetchResponse<T>;
        if (response.ok) {
          subscriber.next(result);
          subscriber.complete();
        } else {
          subscriber.error({ status: response.status, statusText: response.statusText, data, config: options });
        }
      })
      .catch((error) => subscriber.error({ status: 0, statusText: String(error), data: { message: String(error) }, config: options }));
    return () => controller.abort();
  });
}

const backendSrv = {
  fetch: fetchObservable,
  datasourceRequest: (options: BackendSrvRequest) => rxjs.lastValueFrom(fetchObservable(options)),
  get: (url: string, params?: Record<string, unknown>) => rxjs.lastValueFrom(fetchObservable({ url, params })).then((r) => r.data),
  post: (url: string, data?: unknown) => rxjs.lastValueFrom(fetchObservable({ url, method: 'POST', data })).then((r) => r.data),
  put: (url: string, data?: unknown) => rxjs.lastValueFrom(fetchObservable({ url, method: 'PUT', data })).then((r) => r.data),
  delete: (url: string) => rxjs.lastValueFrom(fetchObservable({ url, method: 'DELETE' })).then((r) => r.data),
  patch: (url: string, data?: unknown) => rxjs.lastValueFrom(fetchObservable({ url, method: 'PATCH', data })).then((r) => r.data),
  request: (options: BackendSrvRequest) => rxjs.lastValueFrom(fetchObservable(options)).then((r) => r.data),
  resolveCancelerIfExists: () => undefined,
} as unknown as BackendSrv;

interface DataSourceEntry {
  uid: string;
  name: string;
  type: string;
  url: string;
  isDefault: boolean;
}

function dataSourceSrv(list: DataSourceEntry[]): DataSourceSrv {
  const settings = list.map((ds) => ({
    ...ds,
    id: 1,
    meta: { id: ds.type, name: 'Prometheus', type: 'datasource', info: {} },
    access: 'proxy',
    jsonData: {},
    readOnly: true,
  }));
  const find = (ref: unknown) => {
    const key = typeof ref === 'string' ? ref : (ref as { uid?: string } | null)?.uid;
    return settings.find((ds) => ds.uid === key || ds.name === key) ?? settings.find((ds) => ds.isDefault);
  };
  return {
    getList: (filters: { type?: string } = {}) => settings.filter((ds) => !filters.type || ds.type === filters.type),
    getInstanceSettings: (ref: unknown) => find(ref),
    get: async () => {
      // The plugin's pages query through the data source proxy, not through a DataSourceApi.
      throw new Error('The preview host does not load data source plugins');
    },
    reload: async () => undefined,
    registerRuntimeDataSource: () => undefined,
  } as unknown as DataSourceSrv;
}

/** react-router v6 driven by Grafana's location service history, as Grafana mounts app plugins. */
function HostRouter({ children }: { children: React.ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return (
    <ReactRouter.Router location={location} navigator={history as unknown as ReactRouter.Navigator}>
      {children}
    </ReactRouter.Router>
  );
}

interface PageInclude {
  type: string;
  name: string;
  path: string;
  addToNav?: boolean;
}

function Nav({ pages }: { pages: PageInclude[] }) {
  const location = ReactRouter.useLocation();
  return (
    <nav className="preview-nav" data-testid="preview-nav">
      <div className="preview-brand">gpufleet</div>
      {pages.map((page) => {
        const href = page.path.replace('%PLUGIN_ID%', PLUGIN_ID);
        const active = location.pathname === href;
        return (
          <a
            key={href}
            href={href}
            className={active ? 'active' : undefined}
            onClick={(event) => {
              event.preventDefault();
              // Keep the shared context (range, data source, cluster) like Grafana's nav keeps the time range.
              const keep = new URLSearchParams(location.search);
              const params = new URLSearchParams();
              for (const key of ['from', 'to', 'ds', 'cluster']) {
                const value = keep.get(key);
                if (value) {
                  params.set(key, value);
                }
              }
              locationService.push(params.toString() ? `${href}?${params}` : href);
            }}
          >
            {page.name}
          </a>
        );
      })}
    </nav>
  );
}

function Host({ plugin, pages }: { plugin: AppPlugin; pages: PageInclude[] }) {
  const Root = plugin.root!;
  const ConfigBody = plugin.configPages?.[0]?.body;
  const [meta, setMeta] = useState(plugin.meta);
  useEffect(() => {
    // The config page reloads the window after saving in Grafana; here the host re-reads settings on navigation.
    return locationService.getHistory().listen(() => {
      loadMeta().then((next) => {
        plugin.meta = next;
        setMeta(next);
      });
    });
  }, [plugin]);
  return (
    <HostRouter>
      <div className="preview-shell">
        <Nav pages={pages} />
        <main className="preview-main">
          <ReactRouter.Routes>
            <ReactRouter.Route path={`/a/${PLUGIN_ID}/*`} element={<Root basename={`/a/${PLUGIN_ID}`} meta={meta} path={`/a/${PLUGIN_ID}`} query={{}} onNavChanged={() => undefined} />} />
            <ReactRouter.Route
              path={`/plugins/${PLUGIN_ID}`}
              element={ConfigBody ? <ConfigBody plugin={plugin} query={{}} /> : <p>No configuration page.</p>}
            />
            <ReactRouter.Route path="*" element={<ReactRouter.Navigate to={`/a/${PLUGIN_ID}/overview`} replace />} />
          </ReactRouter.Routes>
        </main>
      </div>
    </HostRouter>
  );
}

async function loadMeta(): Promise<AppPluginMeta> {
  const [pluginJson, settings] = await Promise.all([
    window.fetch(`${PLUGIN_URL}plugin.json`).then((r) => r.json()),
    window.fetch(`/api/plugins/${PLUGIN_ID}/settings`).then((r) => r.json()),
  ]);
  return { ...pluginJson, ...settings, baseUrl: PLUGIN_URL, module: `${PLUGIN_URL}module.js` } as AppPluginMeta;
}

async function main() {
  const theme = createTheme({ colors: { mode: 'dark' } });
  const datasources: DataSourceEntry[] = await window.fetch('/api/datasources').then((r) => r.json());
  setBackendSrv(backendSrv);
  setDataSourceSrv(dataSourceSrv(datasources));
  const meta = await loadMeta();
  const exports = await loadAmdModule(`${PLUGIN_URL}module.js`);
  const plugin = exports.plugin as AppPlugin;
  plugin.meta = meta;
  plugin.init(meta);
  const pages = ((meta.includes ?? []) as PageInclude[]).filter((i) => i.type === 'page' && i.addToNav !== false);
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      <Host plugin={plugin} pages={pages} />
    </ThemeContext.Provider>
  );
  document.body.dataset.previewReady = 'true';
}

main().catch((error) => {
  document.body.dataset.previewError = String(error?.stack ?? error);
  document.getElementById('root')!.textContent = `Preview host failed: ${String(error)}`;
});
