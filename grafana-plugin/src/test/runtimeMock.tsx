/**
 * The @grafana/runtime services the pages use, faked for jest: the backend service answers the
 * data source proxy from fake Prometheus rules, the data source service lists one Prometheus.
 */
import React from 'react';
import { of, throwError } from 'rxjs';
import { answer, FakeRequest, FakeRule } from './fakePrometheus';

export const fake = {
  rules: [] as FakeRule[],
  requests: [] as FakeRequest[],
  posts: [] as Array<{ url: string; data: unknown }>,
  datasources: [{ uid: 'prom', name: 'Prometheus', type: 'prometheus' }],
};

export function runtimeMock() {
  return {
    getBackendSrv: () => ({
      fetch: (options: { url: string; method?: string; params?: Record<string, string>; data?: unknown }) => {
        if (options.method === 'POST') {
          fake.posts.push({ url: options.url, data: options.data });
          return of({ data: { message: 'Plugin settings updated' }, status: 200 });
        }
        const request = { url: options.url, params: options.params ?? {} };
        fake.requests.push(request);
        const { status, body } = answer(fake.rules, request);
        return status === 200 ? of({ data: body, status }) : throwError(() => ({ status, data: body }));
      },
    }),
    getDataSourceSrv: () => ({
      getList: () => fake.datasources,
    }),
    PluginPage: ({ children }: { children: React.ReactNode }) => <div>{children}</div>,
  };
}
