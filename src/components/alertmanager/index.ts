/**
 * Alertmanager as a stack component: Prometheus notifies every replica, Grafana reads alerts and manages
 * silences through its Alertmanager datasource, the replicas gossip with each other.
 */
import type { AlertmanagerSpec, StackConfig } from '../../config/types';
import type { Endpoints } from '../../lib/endpoints';
import type { BuildContext, StackComponent } from '../component';
import { Alertmanager, alertmanagerScrapeTarget } from './alertmanager';
import { alertmanagerPodAddresses } from './endpoints';
import { watchdogRuleFiles } from './watchdog-rules';

/** Is the in-stack Alertmanager deployed? (It routes the stack's alerts, so it needs them.) */
export function alertmanagerEnabled(cfg: StackConfig): boolean {
  return cfg.alertmanager.enabled && cfg.alerts.enabled;
}

export const alertmanager: StackComponent = {
  id: 'alertmanager',
  enabled: alertmanagerEnabled,
  scrapeTargets: ({ endpoints }, scrape) => [alertmanagerScrapeTarget(scrape(endpoints.alertmanager.http))],
  build: ({ app, cfg, labeler, endpoints, wire }) => {
    const cluster = endpoints.alertmanager.cluster;
    if (cluster) wire('alertmanager', cluster, 'gossip', 'meshes with its peers (silences, notification log; TCP and UDP)');
    return new Alertmanager(app, 'alertmanager', {
      config: cfg.alertmanager, common: cfg.common, labeler, endpoints: endpoints.alertmanager,
      networkPolicy: cfg.networkPolicy.enabled ? cfg.networkPolicy : undefined,
    });
  },
};

/**
 * The in-stack Alertmanager as Prometheus's `alerting.alertmanagers` targets: every replica by its pod
 * name (alerts go to each; the replicas deduplicate notifications among themselves). Records the wire.
 */
export function inStackAlertmanagers(cfg: StackConfig, endpoints: Endpoints, wire: BuildContext['wire']): AlertmanagerSpec[] {
  if (!alertmanagerEnabled(cfg)) return [];
  const peers = wire('prometheus', endpoints.alertmanager.peersHttp, 'http', 'sends firing alerts to every replica');
  return alertmanagerPodAddresses(peers, cfg.alertmanager.replicas).map((address) => ({ url: `http://${address}` }));
}

/** Rule files the alerting path adds to Prometheus: the always-firing Watchdog. */
export function alertmanagerRuleFiles(cfg: StackConfig): Record<string, string> {
  return cfg.alerts.enabled && cfg.alertmanager.watchdog.enabled ? watchdogRuleFiles() : {};
}
