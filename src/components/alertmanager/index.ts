/**
 * Alertmanager as a stack component: Prometheus notifies every replica, Grafana reads alerts and manages
 * silences through its Alertmanager datasource, the replicas gossip with each other.
 */
import type { AlertmanagerSpec, StackConfig } from '../../config/types';
import { type Endpoint, alertmanagerPodAddresses } from '../../lib/endpoints';
import type { StackComponent } from '../component';
import { Alertmanager, alertmanagerScrapeTarget } from './alertmanager';

/** Is the in-stack Alertmanager deployed? It routes the stack's alerts, so it needs them on. */
export function alertmanagerDeployed(cfg: StackConfig): boolean {
  return cfg.alertmanager.enabled && cfg.alerts.enabled;
}

export const alertmanager: StackComponent = {
  id: 'alertmanager',
  enabled: alertmanagerDeployed,
  scrapeTargets: ({ endpoints }, scrape) => [alertmanagerScrapeTarget(scrape(endpoints.alertmanager.http))],
  build: ({ scope, cfg, labeler, endpoints, wire }) => {
    const cluster = endpoints.alertmanager.cluster;
    if (cluster) wire('alertmanager', cluster, 'gossip', 'meshes with its peers (silences, notification log; TCP and UDP)');
    return new Alertmanager(scope, 'alertmanager', { config: cfg.alertmanager, common: cfg.common, labeler, endpoints: endpoints.alertmanager });
  },
};

/**
 * The in-stack Alertmanager as Prometheus's `alerting.alertmanagers` targets: every replica by its pod
 * name on the headless Service (alerts go to each; the replicas deduplicate notifications among themselves).
 */
export function inStackAlertmanagers(peers: Endpoint, replicas: number): AlertmanagerSpec[] {
  return alertmanagerPodAddresses(peers, replicas).map((address) => ({ url: `http://${address}` }));
}
