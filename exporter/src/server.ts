import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { CONTENT_TYPE } from './exposition/render.js';
import type { Roles } from './roles.js';
import type { ScrapeTarget } from './scrape-target.js';

export const VERSION = '0.1.0';

/** The exporter's own process metrics, kept apart from the contract series it collects per scrape. */
function selfRegistry(roles: readonly string[]): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const info = new Gauge({
    name: 'gpufleet_exporter_build_info',
    help: 'The running gpufleet exporter: version, Node.js version and roles.',
    labelNames: ['version', 'nodejs_version', 'roles'],
    registers: [registry],
  });
  info.set({ version: VERSION, nodejs_version: process.version, roles: roles.join(',') }, 1);
  return registry;
}

/** Aborts collection when the scraper goes away, so a slow source does not pile up work. */
function abortOnClose(req: Request, res: Response): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort(new Error('scraper disconnected'));
  });
  void req;
  return controller.signal;
}

async function sendTarget(target: ScrapeTarget, req: Request, res: Response, prefix = ''): Promise<void> {
  const body = prefix + (await target.render(abortOnClose(req, res)));
  res.status(200).type(CONTENT_TYPE).send(body);
}

export function createApp(roles: Roles, roleNames: readonly string[], log: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const registry = selfRegistry(roleNames);

  app.get('/metrics', async (req, res) => {
    try {
      await sendTarget(roles.main, req, res, await registry.metrics());
    } catch (err) {
      log.error({ err }, 'rendering /metrics failed');
      res.status(500).type('text/plain').send('internal error rendering metrics\n');
    }
  });

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });

  app.get('/readyz', (_req, res) => {
    const waiting = roles.main.healthRecords().filter((h) => h.lastSuccessSeconds === undefined && h.source === 'billing');
    if (waiting.length > 0) {
      res.status(503).type('text/plain').send(`not ready: ${waiting.map((h) => `${h.source} ${h.target} has not been read successfully`).join('; ')}\n`);
      return;
    }
    res.type('text/plain').send('ready\n');
  });

  const simulated = roles.simulated;
  if (simulated) {
    app.get('/nodes/:node/metrics', async (req, res) => {
      const node = simulated.nodes.get(req.params.node);
      if (!node) {
        res.status(404).type('text/plain').send(`no simulated node ${JSON.stringify(req.params.node)}\n`);
        return;
      }
      if (node.dead) {
        res.status(503).type('text/plain').send(`simulated node ${node.name} is down\n`);
        return;
      }
      await sendTarget(node.target, req, res);
    });

    // Prometheus http_sd_configs: one target per simulated node, all on this listener.
    app.get('/sd', (req, res) => {
      const host = req.get('host') ?? 'localhost';
      res.json(
        [...simulated.nodes.values()].map((node) => ({
          targets: [host],
          labels: { __metrics_path__: `/nodes/${node.name}/metrics`, cluster: simulated.cluster },
        })),
      );
    });

    // The raw inputs behind each simulated node, for pointing a real `node` role at them.
    app.get('/sim/dcgm/:node/metrics', (req, res) => {
      const node = simulated.nodes.get(req.params.node);
      if (!node || node.dead) {
        res.status(node ? 503 : 404).end();
        return;
      }
      res.type(CONTENT_TYPE).send(node.dcgmText(Date.now()));
    });
    app.get('/sim/diskstats/:node', (req, res) => {
      const node = simulated.nodes.get(req.params.node);
      if (!node || node.dead) {
        res.status(node ? 503 : 404).end();
        return;
      }
      res.type('text/plain').send(node.diskstatsText(Date.now()));
    });
  }

  app.get('/', (_req, res) => {
    const links = ['/metrics', '/healthz', '/readyz'];
    if (simulated) links.push('/sd', ...[...simulated.nodes.keys()].slice(0, 50).map((n) => `/nodes/${n}/metrics`));
    res
      .type('html')
      .send(`<!doctype html><title>gpufleet exporter</title><h1>gpufleet exporter</h1><p>roles: ${roleNames.join(', ')}</p><ul>${links.map((l) => `<li><a href="${l}">${l}</a></li>`).join('')}</ul>`);
  });

  return app;
}
