import { PLUGIN_BASE_URL, ROUTES } from '../constants';

/** Prefixes a route with the app's base URL. */
export function prefixRoute(route: ROUTES | string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}

/**
 * Builds an in-app link that keeps the shared context (time range, data source, cluster)
 * and adds page-specific parameters.
 */
export function linkTo(route: ROUTES, current: URLSearchParams, extra: Record<string, string> = {}): string {
  const keep = ['from', 'to', 'ds', 'cluster'];
  const params = new URLSearchParams();
  for (const key of keep) {
    const value = current.get(key);
    if (value) {
      params.set(key, value);
    }
  }
  for (const [key, value] of Object.entries(extra)) {
    params.set(key, value);
  }
  const query = params.toString();
  return query ? `${prefixRoute(route)}?${query}` : prefixRoute(route);
}
