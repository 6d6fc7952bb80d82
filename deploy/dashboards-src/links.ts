import type { DashboardLink, DataLink } from './grafana.js';

/** Stable uids: links, bookmarks and the app plugin refer to dashboards by these. */
export const UIDS = {
  overview: 'gpufleet-overview',
  node: 'gpufleet-node',
  finance: 'gpufleet-finance',
  stragglers: 'gpufleet-stragglers',
  idle: 'gpufleet-idle',
  health: 'gpufleet-health',
} as const;

/** Every gpufleet dashboard carries this tag; the "GPU fleet dashboards" menu lists dashboards by it. */
export const FLEET_TAG = 'gpufleet';

export const APP_ID = 'gpufleet-gpufleet-app';

/** Pages of the app plugin (grafana-plugin/src/constants.ts ROUTES). */
export const APP_ROUTES = {
  overview: 'overview',
  cost: 'cost',
  idle: 'idle-waste',
  stragglers: 'stragglers',
  node: 'node',
  infra: 'bare-metal-vs-virtualised',
} as const;
export type AppRoute = (typeof APP_ROUTES)[keyof typeof APP_ROUTES];

/** The app reads its data source from `ds` (a uid); `${datasource}` interpolates to the chosen uid. */
function appUrl(route: AppRoute, params: string[] = []): string {
  return `/a/${APP_ID}/${route}?${['ds=${datasource}', ...params].join('&')}`;
}

function link(title: string, url: string, tooltip: string, icon: string, includeVars: boolean): DashboardLink {
  return { title, type: 'link', url, tags: [], asDropdown: false, includeVars, keepTime: true, icon, tooltip, targetBlank: false };
}

/**
 * The menu of all gpufleet dashboards (by tag) plus the app pages that answer the same question.
 * Time range and variables travel with every link so a reader keeps their context.
 */
export function dashboardLinks(pages: { route: AppRoute; title: string; params?: string[] }[]): DashboardLink[] {
  return [
    {
      title: 'GPU fleet dashboards',
      type: 'dashboards',
      url: '',
      tags: [FLEET_TAG],
      asDropdown: true,
      includeVars: true,
      keepTime: true,
      icon: 'external link',
      tooltip: 'The other GPU fleet dashboards, with this time range and these variables',
      targetBlank: false,
    },
    // The app keeps its own URL parameters (ds, from, to, node), so variables are passed explicitly.
    ...pages.map((page) => link(`App: ${page.title}`, appUrl(page.route, page.params), `Open the ${page.title} page of the GPU fleet app`, 'apps', false)),
  ];
}

/** Data link from a series or table row that carries `cluster` and `node` to the Node detail dashboard. */
export function nodeDetailLink(source: 'field' | 'row'): DataLink {
  const label = (name: string) => (source === 'field' ? `\${__field.labels.${name}}` : `\${__data.fields.${name}}`);
  return {
    title: `Node detail: ${label('node')}`,
    url: `/d/${UIDS.node}?\${__url_time_range}&\${datasource:queryparam}&var-cluster=${label('cluster')}&var-node=${label('node')}`,
  };
}

/** Data link to the app's Node page for the node of a series or table row. */
export function appNodeLink(source: 'field' | 'row'): DataLink {
  const label = (name: string) => (source === 'field' ? `\${__field.labels.${name}}` : `\${__data.fields.${name}}`);
  return {
    title: 'Node page in the GPU fleet app',
    url: appUrl(APP_ROUTES.node, [`cluster=${label('cluster')}`, `node=${label('node')}`, '${__url_time_range}']),
  };
}
