/**
 * Shared setup of the browser tests: the real stack (simulated e2e fleet → exporter → Prometheus
 * with alerts/ rules, time compressed like tests/e2e), the built plugin served by the preview host,
 * and Debian's Chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ALERTS_DIR, query, ruleFiles, startStack, type Stack } from '../../scripts/stack.js';
import { startPreviewServer, type PreviewServer } from '../../grafana-plugin/preview/server.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PLUGIN_DIR = join(REPO_ROOT, 'grafana-plugin');
/** The README's screenshots, written by screenshots.ts from the default scenario. */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');
/** Where the assertion tests leave their screenshots of the e2e fleet, for looking at a failure. */
export const TEST_SHOT_DIR = process.env.GPUFLEET_TEST_SHOTS ?? join(tmpdir(), 'gpufleet-browser-test-shots');
export const APP = '/a/gpufleet-gpufleet-app';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PreviewFixture {
  stack: Stack;
  preview: PreviewServer;
  browser: Browser;
  page: Page;
  stop(): Promise<void>;
}

/** Builds the plugin and the preview host when their output is missing (CI builds the plugin earlier). */
export function ensureBuilt(): void {
  if (!existsSync(join(PLUGIN_DIR, 'dist', 'module.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: PLUGIN_DIR, stdio: 'inherit' });
  }
  execFileSync('node', [join(PLUGIN_DIR, 'preview', 'build.mjs')], { cwd: PLUGIN_DIR, stdio: 'inherit' });
}

/** Waits until every query returns a sample, so pages are checked against a fleet the rules have evaluated. */
export async function waitForSeries(promUrl: string, queries: string[], timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing: string[] = [];
    for (const q of queries) {
      if ((await query(promUrl, q).catch(() => [])).length === 0) {
        missing.push(q);
      }
    }
    if (missing.length === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`Prometheus at ${promUrl} still has no result for: ${missing.join('; ')}`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export interface PreviewFixtureOptions {
  scenario?: 'e2e' | 'default' | 'large';
  /** PromQL queries that must all return a sample before the browser starts. */
  waitFor?: string[];
  /** Where the page's screenshots go (created). */
  shotDir?: string;
}

export async function startPreviewFixture(options: PreviewFixtureOptions = {}): Promise<PreviewFixture> {
  ensureBuilt();
  const fastDir = mkdtempSync(join(tmpdir(), 'gpufleet-browser-rules-'));
  execFileSync('bash', [join(ALERTS_DIR, 'fast-rules.sh'), fastDir]);
  const stack = await startStack({ scenario: options.scenario ?? 'e2e', interval: '1s', ruleFiles: ruleFiles(fastDir) });
  let preview: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    await waitForSeries(stack.promUrl, options.waitFor ?? []);
    preview = await startPreviewServer({ promUrl: stack.promUrl });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    mkdirSync(options.shotDir ?? TEST_SHOT_DIR, { recursive: true });
    const started = { stack, preview, browser };
    return {
      ...started,
      page,
      stop: async () => {
        await started.browser.close();
        await started.preview.stop();
        await started.stack.stop();
        rmSync(fastDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await preview?.stop();
    await stack.stop();
    rmSync(fastDir, { recursive: true, force: true });
    throw error;
  }
}
