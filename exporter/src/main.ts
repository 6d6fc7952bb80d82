#!/usr/bin/env -S node --max-semi-space-size=1
import type { Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { ConfigError, helpText, loadConfig, parseListen } from './config.js';

/*
 * Heap settings that keep the node and billing roles under 80 MB while scraped back to back
 * (bench/RESULTS.md). The young generation's size is fixed when V8 starts, so its cap comes from the
 * command line: the `#!` line above, NODE_OPTIONS in the container. How far the old generation may
 * grow is decided at every full collection, so it is set here, before the rest of the exporter loads:
 * by a fifth of the live heap (at least V8's minimum step), not up to 4 times, or short-lived scrape
 * data promoted to it piles up. Not with simulate, whose large live heap would be collected over and over.
 */
const SMALL_HEAP_V8_FLAGS = '--heap-growing-percent=20';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = loadConfig(process.argv.slice(2));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`gpufleet-exporter: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const { config } = parsed;
  if (!config.roles.includes('simulate')) setFlagsFromString(SMALL_HEAP_V8_FLAGS);
  // Loaded only now, so the settings above hold from the first full collection on.
  const [{ createLogger }, { buildRoles }, { createApp }] = await Promise.all([import('./log.js'), import('./roles.js'), import('./server.js')]);
  const log = createLogger(config.logLevel);
  const roles = await buildRoles(config, log);
  // Read every source once before serving, so /readyz reflects real input and the first scrape is warm.
  await roles.main.collect(AbortSignal.timeout(config.node.dcgmTimeoutMs * 2));
  const app = createApp(roles, config.roles, log);
  const { host, port } = parseListen(config.listen);

  const server: Server = await new Promise((resolve, reject) => {
    const done = (err?: Error) => (err ? reject(err) : resolve(s));
    const s = host === undefined ? app.listen(port, done) : app.listen(port, host, done);
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? `${address.address}:${address.port}` : config.listen;
  log.info({ roles: config.roles, listen: bound }, 'gpufleet exporter listening');
  // Machine-readable line for the demo and tests that start the exporter on port 0.
  process.stdout.write(`listening on ${bound}\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info({ signal }, 'shutting down');
      server.close(() => resolve());
      server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`gpufleet-exporter: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
