/** The Alertmanager's Grafana datasource (the alerts role): alert groups and silences. */
import { TIMEOUTS } from '../../config/sizing';
import type { DatasourceContext, DatasourceContribution } from '../../lib/datasources';
import { ALERTMANAGER_DATASOURCE } from './endpoints';

/** Grafana's Alertmanager datasource (`AlertManagerDataSourceJsonData`). */
export interface AlertmanagerJsonData {
  implementation: 'prometheus' | 'cortex' | 'mimir';
  /** Grafana's HTTP timeout for this datasource, seconds (else `[dataproxy] timeout`). */
  timeout?: number;
  /** Grafana-managed alerts stay in Grafana's own Alertmanager; this one shows the stack's rules' alerts. */
  handleGrafanaManagedAlerts: boolean;
}

export function alertmanagerDatasources({ endpoints, connect }: DatasourceContext): DatasourceContribution[] {
  return [{
    ...ALERTMANAGER_DATASOURCE,
    url: connect(endpoints.alertmanager.http, 'http', 'reads alerts, manages silences (Alertmanager datasource)').url,
    jsonData: (): AlertmanagerJsonData & Record<string, unknown> => ({ implementation: 'prometheus', handleGrafanaManagedAlerts: false, timeout: TIMEOUTS.grafana }),
  }];
}
