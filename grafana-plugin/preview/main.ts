/**
 * `npm run preview`: serves the built plugin in the preview host.
 *   --prom <url>         use a running Prometheus (else the gpufleet stack is started: simulated fleet + rules)
 *   --scenario <name>    scenario for the started stack (e2e, default, large; default: default)
 *   --port <n>           preview port (default 3300)
 */
import { parseArgs } from 'node:util';
import { startPreviewServer } from './server.js';

const { values } = parseArgs({
  options: { prom: { type: 'string' }, scenario: { type: 'string', default: 'default' }, port: { type: 'string', default: '3300' } },
});

let stopStack: (() => Promise<void>) | undefined;
let promUrl = values.prom;
if (!promUrl) {
  const { startStack } = await import('../../tests/harness/stack.js');
  const stack = await startStack({ scenario: values.scenario as 'default' });
  promUrl = stack.promUrl;
  stopStack = () => stack.stop();
  console.log(`Prometheus with the simulated fleet: ${promUrl}`);
}
const preview = await startPreviewServer({ promUrl, port: Number(values.port) });
console.log(`gpufleet preview: ${preview.url}/a/gpufleet-gpufleet-app/overview`);

const shutdown = async () => {
  await preview.stop();
  await stopStack?.();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
