import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { repoPath } from './repo.js';

/* docker-compose.yml as the tests need it: services, their bind mounts and published ports. */

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; additional_contexts?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  healthcheck?: { test: string[] };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  cap_add?: string[];
  deploy?: { resources?: { reservations?: { devices?: Array<{ driver?: string; count?: string | number; capabilities?: string[] }> } } };
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export function loadCompose(): ComposeFile {
  const doc = parseDocument(readFileSync(repoPath('docker-compose.yml'), 'utf8'), { prettyErrors: true, merge: true });
  if (doc.errors.length > 0) throw new Error(`docker-compose.yml: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS({ maxAliasCount: 100 }) as ComposeFile;
}

/** `${VAR:-default}` / `${VAR}` as compose interpolates them, with the defaults (the tests' environment is not the user's). */
export function interpolateDefaults(text: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}/g, (_m, _name: string, fallback: string | undefined) => fallback ?? '');
}

export interface Mount {
  source: string;
  target: string;
  readOnly: boolean;
  kind: 'bind' | 'volume';
}

/** Short volume syntax `source:target[:mode]`; a source starting with . or / is a bind mount. */
export function mounts(service: ComposeService): Mount[] {
  return (service.volumes ?? []).map((spec) => {
    const [source = '', target = '', mode = ''] = spec.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro'), kind: source.startsWith('.') || source.startsWith('/') ? 'bind' : 'volume' };
  });
}

/** `host_ip:host_port:container_port` (the only form the compose file uses). */
export function publishedPorts(service: ComposeService): Array<{ hostIp: string; hostPort: number; containerPort: number }> {
  return (service.ports ?? []).map((spec) => {
    const m = /^(\d+\.\d+\.\d+\.\d+):(\d+):(\d+)$/.exec(spec);
    if (!m) throw new Error(`port "${spec}": expected host_ip:host_port:container_port`);
    return { hostIp: m[1] as string, hostPort: Number(m[2]), containerPort: Number(m[3]) };
  });
}

/** The container path a repository path is mounted at in a service, if it is. */
export function mountTarget(service: ComposeService, repoRelative: string): string | undefined {
  const wanted = repoRelative.replace(/^\.\//, '');
  return mounts(service).find((m) => m.kind === 'bind' && m.source.replace(/^\.\//, '') === wanted)?.target;
}
