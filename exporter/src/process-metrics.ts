import { readdirSync, readFileSync } from 'node:fs';
import { Counter, Gauge, type Registry } from 'prom-client';

/*
 * The exporter's own process metrics, as prom-client metrics under the names prom-client's
 * collectDefaultMetrics gives them, each computed in its collect() callback at scrape time.
 *
 * Not collectDefaultMetrics itself: it has no option to leave metrics out, and removing them from the
 * registry afterwards would not stop the timer and observer they start. Left out here, and why:
 * - nodejs_active_{handles,requests,resources}_total: gauges named *_total, which promtool rejects;
 * - nodejs_active_{handles,requests,resources}: walk every libuv handle on each scrape;
 * - nodejs_eventloop_lag_*: a 100 Hz timer between scrapes and percentiles on each scrape;
 * - nodejs_gc_duration_seconds: a performance observer called on every garbage collection;
 * - nodejs_heap_space_size_*: three series per V8 heap space, from its statistics on each scrape;
 * - process_virtual_memory_bytes, process_heap_bytes: parsing /proc/self/status on each scrape.
 */

/** Soft limit on open files, read once: it does not change while the process runs. */
function readMaxFds(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+)/m.exec(limits);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // not Linux: the metric is left out
  }
}

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

function setCounter(counter: Counter, total: number): void {
  counter.reset();
  counter.inc(total);
}

/** Registers the process metrics in `registry`. */
export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];

  // process.cpuUsage() is itself a running total: each scrape sets the counters to it (reset, then
  // inc), so no rounding error builds up. The first registered reads it for all three, as collect()
  // runs in registration order.
  new Counter({
    name: 'process_cpu_user_seconds_total',
    help: 'Total user CPU time spent in seconds.',
    registers,
    collect() {
      const cpu = process.cpuUsage();
      setCounter(this, cpu.user / 1e6);
      setCounter(cpuSystem, cpu.system / 1e6);
      setCounter(cpuTotal, (cpu.user + cpu.system) / 1e6);
    },
  });
  const cpuSystem = new Counter({ name: 'process_cpu_system_seconds_total', help: 'Total system CPU time spent in seconds.', registers });
  const cpuTotal = new Counter({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', registers });

  new Gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', registers }).set(
    Math.round(Date.now() / 1000 - process.uptime()),
  );

  // One memoryUsage() call per scrape feeds the resident and heap gauges (registered in this order).
  let memory = process.memoryUsage();
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers,
    collect() {
      memory = process.memoryUsage();
      this.set(memory.rss);
    },
  });
  new Gauge({
    name: 'nodejs_heap_size_total_bytes',
    help: 'Process heap size from Node.js in bytes.',
    registers,
    collect() {
      this.set(memory.heapTotal);
    },
  });
  new Gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'Process heap size used from Node.js in bytes.',
    registers,
    collect() {
      this.set(memory.heapUsed);
    },
  });
  new Gauge({
    name: 'nodejs_external_memory_bytes',
    help: 'Node.js external memory size in bytes.',
    registers,
    collect() {
      this.set(memory.external);
    },
  });

  // Linux only, like prom-client's: elsewhere the file descriptor metrics are not registered.
  const maxFds = readMaxFds();
  if (maxFds !== undefined) {
    new Gauge({ name: 'process_max_fds', help: 'Maximum number of open file descriptors.', registers }).set(maxFds);
    new Gauge({
      name: 'process_open_fds',
      help: 'Number of open file descriptors.',
      registers,
      collect() {
        const open = openFds();
        if (open !== undefined) this.set(open);
      },
    });
  }

  const [major, minor, patch] = process.versions.node.split('.');
  new Gauge({
    name: 'nodejs_version_info',
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch'],
    registers,
  }).set({ version: process.version, major: major ?? '', minor: minor ?? '', patch: patch ?? '' }, 1);
}
