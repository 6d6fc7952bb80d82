import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';
import { CONTENT_TYPE } from './exposition/render.js';
import { registerProcessMetrics } from './process-metrics.js';
import type { Roles } from './roles.js';
import type { ScrapeTarget } from './scrape-target.js';

/* The exporter's HTTP server: express 5 with a handful of read-only routes. */

export const VERSION = '0.1.0';

/** The exporter's own metrics, kept apart from the contract series it collects per scrape. */
function selfRegistry(roles: readonly string[]): Registry {
  const registry = new Registry();
  registerProcessMetrics(registry);
  new Gauge({
    name: 'gpufleet_exporter_build_info',
    help: 'The running gpufleet exporter: version, Node.js version and roles.',
    labelNames: ['version', 'nodejs_version', 'roles'],
    registers: [registry],
  }).set({ version: VERSION, nodejs_version: process.version, roles: roles.join(',') }, 1);
  return registry;
}

/** Aborts collection when the scraper goes away, so a slow source does not pile up work. */
function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('scraper disconnected'));
  });
  return controller.signal;
}

/** Exposition text as it is: sent as bytes, because express would reorder the parameters of a string's content type. */
function sendExposition(res: Response, body: string): void {
  res.status(200).type(CONTENT_TYPE).send(Buffer.from(body, 'utf8'));
}

function sendText(res: Response, status: number, body: string): void {
  res.status(status).type('text/plain').send(body);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}

export function createApp(roles: Roles, roleNames: readonly string[], log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // A metrics page changes on every scrape: hashing each body for an ETag would be work for nothing.
  app.set('etag', false);
  app.set('case sensitive routing', true);
  const registry = selfRegistry(roleNames);
  const simulated = roles.simulated;

  async function sendTarget(res: Response, target: ScrapeTarget, own = ''): Promise<void> {
    const collected = await target.render(abortOnClose(res));
    // The exporter's own metrics never share a name with collected ones: no merge needed.
    sendExposition(res, own + collected);
  }

  // Every route only reads; express answers HEAD from the GET routes.
  app.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.set('allow', 'GET, HEAD');
    sendText(res, 405, 'method not allowed\n');
  });

  app.get('/metrics', async (_req, res) => {
    await sendTarget(res, roles.main, await registry.metrics());
  });

  app.get('/healthz', (_req, res) => {
    sendText(res, 200, 'ok\n');
  });

  app.get('/readyz', (_req, res) => {
    const waiting = roles.main.healthRecords().filter((h) => h.lastSuccessSeconds === undefined && h.source === 'billing');
    if (waiting.length > 0) {
      sendText(res, 503, `not ready: ${waiting.map((h) => `${h.source} ${h.target} has not been read successfully`).join('; ')}\n`);
      return;
    }
    sendText(res, 200, 'ready\n');
  });

  app.get('/', (_req, res) => {
    const links = ['/metrics', '/healthz', '/readyz'];
    if (simulated) links.push('/sd', ...[...simulated.nodes.keys()].slice(0, 50).map((n) => `/nodes/${encodeURIComponent(n)}/metrics`));
    const items = links.map((l) => `<li><a href="${escapeHtml(l)}">${escapeHtml(l)}</a></li>`).join('');
    res
      .type('html')
      .send(`<!doctype html><title>gpufleet exporter</title><h1>gpufleet exporter</h1><p>roles: ${escapeHtml(roleNames.join(', '))}</p><ul>${items}</ul>`);
  });

  if (simulated) {
    /** The simulated node a route names, or undefined once a 404 or 503 has been sent. */
    const liveNode = (name: string, res: Response) => {
      const node = simulated.nodes.get(name);
      if (!node) sendText(res, 404, `no simulated node ${JSON.stringify(name)}\n`);
      else if (node.dead) sendText(res, 503, `simulated node ${node.name} is down\n`);
      else return node;
      return undefined;
    };

    // Prometheus http_sd_configs: one target per simulated node, all on this listener.
    app.get('/sd', (req, res) => {
      const host = req.get('host') ?? 'localhost';
      res.json(
        [...simulated.nodes.values()].map((node) => ({
          targets: [host],
          labels: { __metrics_path__: `/nodes/${encodeURIComponent(node.name)}/metrics`, cluster: simulated.cluster },
        })),
      );
    });

    // The simulated node as its own Prometheus target.
    app.get('/nodes/:node/metrics', async (req, res) => {
      const node = liveNode(req.params.node, res);
      if (node) await sendTarget(res, node.target);
    });

    // The raw inputs behind each simulated node, for pointing a real `node` role at them.
    app.get('/sim/dcgm/:node/metrics', (req, res) => {
      const node = liveNode(req.params.node, res);
      if (node) sendExposition(res, node.dcgmText(simulated.clock()));
    });
    app.get('/sim/diskstats/:node', (req, res) => {
      const node = liveNode(req.params.node, res);
      if (node) sendText(res, 200, node.diskstatsText(simulated.clock()));
    });
  }

  app.use((req, res) => {
    sendText(res, 404, `not found: ${req.path}\n`);
  });

  // Four parameters make this express's error handler; the last is unused.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    // A path segment that is not valid URL encoding (express fails to decode the parameter) names nothing here.
    if (err instanceof URIError) {
      sendText(res, 404, `not found: ${req.path}\n`);
      return;
    }
    log.error({ err, url: req.originalUrl }, 'request failed');
    if (res.headersSent) res.destroy();
    else sendText(res, 500, 'internal error\n');
  });

  return app;
}
