/**
 * Offline stand-in for Grafana's plugin validator: checks what Grafana needs to load the built
 * plugin from dist/ (plugin.json fields, module.js, included dashboards and images).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*-(app|panel|datasource)$/;
const TYPES = new Set(['app', 'panel', 'datasource']);
const INCLUDE_TYPES = new Set(['page', 'dashboard', 'panel', 'datasource']);

function readJson(file: string, problems: string[]): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${file}: not a JSON object`);
      return null;
    }
    return value as Record<string, unknown>;
  } catch (error) {
    problems.push(`${file}: ${(error as Error).message}`);
    return null;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every problem found in `dir`, each naming the file and field; empty when the plugin is loadable. */
export function validateDist(dir: string, expectedId?: string): string[] {
  const problems: string[] = [];
  const pluginFile = path.join(dir, 'plugin.json');
  if (!existsSync(pluginFile)) {
    return [`${pluginFile}: missing (run npm run build)`];
  }
  const raw = readFileSync(pluginFile, 'utf8');
  const placeholders = raw.match(/%[A-Z_]+%/g);
  if (placeholders) {
    problems.push(`${pluginFile}: unreplaced placeholders ${[...new Set(placeholders)].join(', ')}`);
  }
  const plugin = readJson(pluginFile, problems);
  if (!plugin) {
    return problems;
  }
  const id = str(plugin.id);
  const type = str(plugin.type);
  if (!id || !ID_PATTERN.test(id)) {
    problems.push(`${pluginFile}: id "${String(plugin.id)}" must look like <org>-<name>-<type>`);
  } else if (expectedId && id !== expectedId) {
    problems.push(`${pluginFile}: id "${id}", expected "${expectedId}"`);
  }
  if (!type || !TYPES.has(type)) {
    problems.push(`${pluginFile}: type "${String(plugin.type)}" must be app, panel or datasource`);
  } else if (id && !id.endsWith(`-${type}`)) {
    problems.push(`${pluginFile}: id "${id}" must end with its type "-${type}"`);
  }
  if (!str(plugin.name)) {
    problems.push(`${pluginFile}: name is required`);
  }
  const info = (plugin.info ?? {}) as Record<string, unknown>;
  if (!/^\d+\.\d+\.\d+/.test(String(info.version ?? ''))) {
    problems.push(`${pluginFile}: info.version "${String(info.version)}" is not a semantic version`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(info.updated ?? ''))) {
    problems.push(`${pluginFile}: info.updated "${String(info.updated)}" must be a YYYY-MM-DD date`);
  }
  if (!str((info.author as Record<string, unknown> | undefined)?.name)) {
    problems.push(`${pluginFile}: info.author.name is required`);
  }
  const logos = (info.logos ?? {}) as Record<string, unknown>;
  for (const size of ['small', 'large']) {
    const logo = str(logos[size]);
    if (!logo) {
      problems.push(`${pluginFile}: info.logos.${size} is required`);
    } else if (!existsSync(path.join(dir, logo))) {
      problems.push(`${pluginFile}: info.logos.${size} "${logo}" does not exist in dist`);
    }
  }
  const deps = (plugin.dependencies ?? {}) as Record<string, unknown>;
  if (!/^[<>=~^]*\s*\d+\.\d+\.\d+/.test(String(deps.grafanaDependency ?? ''))) {
    problems.push(`${pluginFile}: dependencies.grafanaDependency "${String(deps.grafanaDependency)}" must be a version range`);
  }

  const includes = Array.isArray(plugin.includes) ? (plugin.includes as Array<Record<string, unknown>>) : [];
  if (type === 'app' && includes.length === 0) {
    problems.push(`${pluginFile}: an app must include at least one page`);
  }
  const referencedDashboards = new Set<string>();
  includes.forEach((include, index) => {
    const where = `${pluginFile}: includes[${index}]`;
    const includeType = str(include.type);
    if (!includeType || !INCLUDE_TYPES.has(includeType)) {
      problems.push(`${where}: type "${String(include.type)}" is not one of ${[...INCLUDE_TYPES].join(', ')}`);
    }
    if (!str(include.name)) {
      problems.push(`${where}: name is required`);
    }
    const includePath = str(include.path);
    if (includeType === 'page') {
      if (!includePath || !(includePath.startsWith(`/a/${id}/`) || includePath === `/plugins/${id}`)) {
        problems.push(`${where}: page path "${String(include.path)}" must start with /a/${id}/`);
      }
    }
    if (includeType === 'dashboard') {
      if (!includePath) {
        problems.push(`${where}: dashboard path is required`);
      } else {
        referencedDashboards.add(path.normalize(includePath));
        const file = path.join(dir, includePath);
        if (!existsSync(file)) {
          problems.push(`${where}: dashboard "${includePath}" does not exist in dist`);
        } else {
          const dashboard = readJson(file, problems);
          if (dashboard && !str(dashboard.uid)) {
            problems.push(`${file}: dashboard has no uid`);
          }
          if (dashboard && !str(dashboard.title)) {
            problems.push(`${file}: dashboard has no title`);
          }
        }
      }
    }
  });
  const defaults = includes.filter((i) => i.type === 'page' && i.defaultNav === true);
  if (type === 'app' && defaults.length !== 1) {
    problems.push(`${pluginFile}: exactly one page must have defaultNav (found ${defaults.length})`);
  }
  const dashboardDir = path.join(dir, 'dashboards');
  if (existsSync(dashboardDir)) {
    for (const file of readdirSync(dashboardDir).filter((f) => f.endsWith('.json'))) {
      if (!referencedDashboards.has(path.normalize(`dashboards/${file}`))) {
        problems.push(`${path.join(dashboardDir, file)}: bundled but not listed in plugin.json includes`);
      }
    }
  }

  const moduleFile = path.join(dir, 'module.js');
  if (!existsSync(moduleFile)) {
    problems.push(`${moduleFile}: missing`);
  } else {
    const head = readFileSync(moduleFile, 'utf8').slice(0, 4000);
    if (!/define\(\[/.test(head)) {
      problems.push(`${moduleFile}: not an AMD module (Grafana loads plugins with define([...]))`);
    }
  }
  for (const file of ['README.md', 'LICENSE']) {
    if (!existsSync(path.join(dir, file))) {
      problems.push(`${path.join(dir, file)}: missing`);
    }
  }
  return problems;
}
