/** The page time range, kept in the URL as Grafana does (`from`/`to`: `now-6h`, `now`, or epoch milliseconds). */

export interface ResolvedRange {
  from: string;
  to: string;
  /** Epoch milliseconds. */
  fromMs: number;
  toMs: number;
  /** Length in whole seconds, at least 60. */
  seconds: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Parses `now`, `now-<n><unit>` (s, m, h, d, w, y), epoch milliseconds or an ISO date; null when unreadable. */
export function parseTime(raw: string | null | undefined, nowMs: number): number | null {
  if (!raw) {
    return null;
  }
  const text = raw.trim();
  if (text === 'now') {
    return nowMs;
  }
  const relative = /^now-(\d+)([smhdwy])$/.exec(text);
  if (relative) {
    return nowMs - Number(relative[1]) * UNIT_SECONDS[relative[2]] * 1000;
  }
  if (/^\d{10,}$/.test(text)) {
    return Number(text);
  }
  const iso = Date.parse(text);
  return Number.isNaN(iso) ? null : iso;
}

/** Resolves the URL's range; unreadable or reversed input falls back to the default range. */
export function resolveRange(from: string | null, to: string | null, nowMs: number, fallback = { from: 'now-24h', to: 'now' }): ResolvedRange {
  let fromMs = parseTime(from, nowMs);
  let toMs = parseTime(to, nowMs);
  let fromRaw = from ?? fallback.from;
  let toRaw = to ?? fallback.to;
  if (fromMs === null || toMs === null || fromMs >= toMs) {
    fromRaw = fallback.from;
    toRaw = fallback.to;
    fromMs = parseTime(fallback.from, nowMs) ?? nowMs - 86400000;
    toMs = parseTime(fallback.to, nowMs) ?? nowMs;
  }
  const seconds = Math.max(60, Math.round((toMs - fromMs) / 1000));
  return { from: fromRaw, to: toRaw, fromMs, toMs, seconds };
}
