import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { ScrapeTarget } from './scrape-target.js';
import { createDcgmSource } from './sources/dcgm/dcgm-source.js';
import { createNvmeSource } from './sources/nvme/nvme-source.js';
import type { Source } from './sources/source.js';
import type { SimulatedFleet } from './simulate/fleet.js';

export const DEFAULT_SCENARIO = resolve(dirname(fileURLToPath(import.meta.url)), '../scenarios/default.yaml');

/** One simulated node served as its own Prometheus target at /nodes/<name>/metrics. */
export interface SimulatedNodeTarget {
  name: string;
  dead: boolean;
  target: ScrapeTarget;
  dcgmText(nowMs: number): string;
  diskstatsText(nowMs: number): string;
}

export interface Roles {
  /** Sources served on /metrics: the node and billing roles (and the simulator's billing). */
  main: ScrapeTarget;
  simulated?: {
    cluster: string;
    nodes: Map<string, SimulatedNodeTarget>;
    billingDir: string;
    /** The simulated fleet's time: the raw /sim inputs use it too, so they agree with the node targets. */
    clock: () => number;
  };
}

/**
 * The sources a simulated node gets are the node role's own, fed with generated dcgm-exporter text and
 * diskstats instead of HTTP and /proc: what a real node would expose, through the same parsers.
 */
function simulatedNodeSources(fleet: SimulatedFleet, node: SimulatedFleet['nodes'][number], clock: () => number): Source[] {
  return [
    createDcgmSource({
      node: node.name,
      target: `simulated://${node.name}/dcgm`,
      fetchText: async () => node.dcgmText(clock()),
    }),
    createNvmeSource({
      node: node.name,
      path: `simulated://${node.name}/diskstats`,
      readText: async () => node.diskstatsText(clock()),
      readDeviceInfo: async (device: string) => node.deviceInfo(device),
    }),
  ];
}

export async function buildRoles(config: Config, log: Logger, clock: () => number = Date.now): Promise<Roles> {
  const mainSources: Source[] = [];
  if (config.roles.includes('node')) {
    mainSources.push(
      createDcgmSource({
        node: config.node.name,
        target: config.node.dcgmUrl,
        timeoutMs: config.node.dcgmTimeoutMs,
        maxBytes: config.node.dcgmMaxBytes,
      }),
    );
    if (config.node.nvme) {
      mainSources.push(createNvmeSource({ node: config.node.name, path: config.node.diskstatsPath, sysBlockPath: config.node.sysBlockPath }));
    }
  }
  // Role-specific modules load only when their role runs: a node role stays a few MB smaller without
  // the billing parsers (csv-parse, picomatch) and the simulator.
  if (config.roles.includes('billing') && config.billing.priceBook !== undefined) {
    const { createBillingSource } = await import('./sources/billing/billing-source.js');
    mainSources.push(
      createBillingSource({
        priceBook: config.billing.priceBook,
        focus: config.billing.focus,
        nodeTag: config.billing.nodeTag,
        windowDays: config.billing.windowDays,
      }),
    );
  }

  let simulated: Roles['simulated'];
  if (config.roles.includes('simulate')) {
    const [{ createBillingSource }, { createSimulatedFleet }, { loadScenario }] = await Promise.all([
      import('./sources/billing/billing-source.js'),
      import('./simulate/fleet.js'),
      import('./simulate/scenario.js'),
    ]);
    const scenarioPath = config.simulate.scenario ?? DEFAULT_SCENARIO;
    const scenario = await loadScenario(scenarioPath);
    const fleet = createSimulatedFleet(scenario, { startMs: clock() });
    const billingDir = config.simulate.billingDir ?? mkdtempSync(join(tmpdir(), 'gpufleet-sim-billing-'));
    const files = await fleet.writeBillingFiles(billingDir, clock());
    mainSources.push(createBillingSource({ priceBook: files.priceBook, focus: files.focus, nodeTag: config.billing.nodeTag, windowDays: config.billing.windowDays }));
    const nodes = new Map<string, SimulatedNodeTarget>();
    for (const node of fleet.nodes) {
      nodes.set(node.name, {
        name: node.name,
        dead: node.dead,
        target: new ScrapeTarget(simulatedNodeSources(fleet, node, clock), log.child({ node: node.name }), clock),
        dcgmText: node.dcgmText,
        diskstatsText: node.diskstatsText,
      });
    }
    simulated = { cluster: fleet.cluster, nodes, billingDir, clock };
    log.info({ scenario: scenarioPath, nodes: nodes.size, billingDir }, 'simulated fleet ready');
  }

  return { main: new ScrapeTarget(mainSources, log, clock), simulated };
}
