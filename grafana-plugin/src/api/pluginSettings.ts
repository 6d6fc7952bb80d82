import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { AppSettings } from '../lib/settings';

/** Saves the app's settings through Grafana's plugin settings API (the same call Grafana's own UI makes). */
export async function savePluginSettings(pluginId: string, settings: { enabled: boolean; pinned: boolean; jsonData: AppSettings }): Promise<void> {
  await lastValueFrom(
    getBackendSrv().fetch({
      url: `/api/plugins/${encodeURIComponent(pluginId)}/settings`,
      method: 'POST',
      data: settings,
      showErrorAlert: false,
    })
  );
}
