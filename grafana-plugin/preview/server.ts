/**
 * The preview server: serves the preview host, the built plugin (dist/) under Grafana's plugin URL,
 * and the few Grafana HTTP APIs the plugin calls, on loopback only:
 *   GET  /api/datasources                                   one Prometheus data source
 *   *    /api/datasources/proxy/uid/<uid>/api/v1/...        forwarded to the real Prometheus
 *   GET  /api/plugins/<id>/settings, POST the same          plugin settings (jsonData), kept in memory
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PLUGIN_ID = 'gpufleet-gpufleet-app';
const DIST_DIR = path.join(here, '..', 'dist');
const HOST_BUNDLE = path.join(here, 'dist', 'host.js');
const DATASOURCE_UID = 'gpufleet-prometheus';
/** @grafana/ui ships its icon SVGs; Grafana serves them under public/build/img/icons/. */
const ICONS_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('@grafana/ui')), '..', 'public', 'img', 'icons');

export interface PreviewOptions {
  promUrl: string;
  port?: number;
  /** Initial plugin jsonData. */
  jsonData?: Record<string, unknown>;
}

export interface PreviewServer {
  url: string;
  stop(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/markdown; charset=utf-8',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>gpufleet preview</title>
<script>window.__grafana_public_path__ = '/public/';
window.grafanaBootData = { settings: { appSubUrl: '', featureToggles: {}, buildInfo: { version: 'preview' } }, user: { orgRole: 'Admin', isSignedIn: true }, navTree: [] };</script>
<style>
  body { margin: 0; }
  .preview-shell { display: flex; min-height: 100vh; }
  .preview-nav { width: 220px; flex: none; padding: 16px 8px; border-right: 1px solid rgba(204, 204, 220, 0.12); display: flex; flex-direction: column; gap: 2px; }
  .preview-nav a { padding: 6px 12px; border-radius: 2px; color: rgb(204, 204, 220); text-decoration: none; }
  .preview-nav a.active { background: rgba(204, 204, 220, 0.12); border-left: 3px solid #ff8833; }
  .preview-brand { font-weight: 500; font-size: 18px; padding: 0 12px 12px; }
  .preview-main { flex: 1; padding: 16px 24px; min-width: 0; }
</style>
</head>
<body><div id="root"></div><script src="/preview/host.js"></script></body>
</html>
`;

function send(res: http.ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendJson(res: http.ServerResponse, status: number, value: unknown) {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function serveFile(res: http.ServerResponse, root: string, relative: string) {
  const file = path.normalize(path.join(root, relative));
  if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    send(res, 404, `not found: ${relative}`);
    return;
  }
  send(res, 200, readFileSync(file), TYPES[path.extname(file)] ?? 'application/octet-stream');
}

async function readBody(req: http.IncomingMessage, limit = 1 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      throw new Error('request body too large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Forwards a Prometheus HTTP API call, as Grafana's data source proxy does for a Prometheus data source. */
async function proxyToPrometheus(promUrl: string, apiPath: string, search: string, req: http.IncomingMessage, res: http.ServerResponse) {
  if (!apiPath.startsWith('api/v1/')) {
    send(res, 403, 'only the Prometheus HTTP API (api/v1/...) is proxied');
    return;
  }
  const target = `${promUrl.replace(/\/$/, '')}/${apiPath}${search}`;
  try {
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const upstream = await fetch(target, {
      method: req.method,
      headers: body ? { 'Content-Type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' } : undefined,
      body: body ? new Uint8Array(body) : undefined,
      signal: AbortSignal.timeout(30000),
    });
    send(res, upstream.status, Buffer.from(await upstream.arrayBuffer()), upstream.headers.get('content-type') ?? 'application/json');
  } catch (error) {
    // Grafana answers 502 when the data source cannot be reached.
    sendJson(res, 502, { message: `data source unreachable: ${(error as Error).message}` });
  }
}

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  if (!existsSync(path.join(DIST_DIR, 'module.js'))) {
    throw new Error(`${path.join(DIST_DIR, 'module.js')} is missing: run npm run build in grafana-plugin first`);
  }
  if (!existsSync(HOST_BUNDLE)) {
    throw new Error(`${HOST_BUNDLE} is missing: run npm run preview:build in grafana-plugin first`);
  }
  let settings = { enabled: true, pinned: true, jsonData: { datasourceUid: DATASOURCE_UID, ...(options.jsonData ?? {}) } as Record<string, unknown> };
  const datasources = [{ uid: DATASOURCE_UID, name: 'Prometheus', type: 'prometheus', url: options.promUrl, isDefault: true }];
  const pluginPrefix = `/public/plugins/${PLUGIN_ID}/`;
  const proxyPrefix = `/api/datasources/proxy/uid/${DATASOURCE_UID}/`;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://preview.invalid');
    const pathname = decodeURIComponent(url.pathname);
    (async () => {
      if (pathname === '/preview/host.js') {
        serveFile(res, path.dirname(HOST_BUNDLE), 'host.js');
      } else if (pathname.startsWith('/public/build/img/icons/')) {
        serveFile(res, ICONS_DIR, pathname.slice('/public/build/img/icons/'.length));
      } else if (pathname.startsWith(pluginPrefix)) {
        serveFile(res, DIST_DIR, pathname.slice(pluginPrefix.length));
      } else if (pathname === '/api/datasources') {
        sendJson(res, 200, datasources);
      } else if (pathname.startsWith('/api/datasources/proxy/uid/')) {
        if (!pathname.startsWith(proxyPrefix)) {
          sendJson(res, 404, { message: 'Data source not found' });
        } else {
          await proxyToPrometheus(options.promUrl, pathname.slice(proxyPrefix.length), url.search, req, res);
        }
      } else if (pathname === `/api/plugins/${PLUGIN_ID}/settings`) {
        if (req.method === 'POST') {
          const update = JSON.parse((await readBody(req)).toString('utf8') || '{}') as Partial<typeof settings>;
          settings = {
            enabled: update.enabled ?? settings.enabled,
            pinned: update.pinned ?? settings.pinned,
            jsonData: typeof update.jsonData === 'object' && update.jsonData !== null ? update.jsonData : settings.jsonData,
          };
          sendJson(res, 200, { message: 'Plugin settings updated' });
        } else {
          sendJson(res, 200, { id: PLUGIN_ID, type: 'app', ...settings });
        }
      } else if (pathname.startsWith('/api/') || /\.[a-z0-9]+$/i.test(pathname)) {
        // Other Grafana APIs and assets (fonts, icons) are not provided: a plain 404, as a missing file.
        sendJson(res, 404, { message: `not provided by the preview host: ${pathname}` });
      } else {
        send(res, 200, INDEX_HTML, 'text/html; charset=utf-8');
      }
    })().catch((error) => {
      if (!res.headersSent) {
        sendJson(res, 400, { message: (error as Error).message });
      } else {
        res.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
