/** The Alertmanager's endpoints: its API, each replica by pod name, and the gossip between replicas. */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';
import type { DatasourceIdentity } from '../../lib/datasources';

export const ALERTMANAGER_NAMES = ['alertmanager'] as const;
export type AlertmanagerName = (typeof ALERTMANAGER_NAMES)[number];

/** Service names of the Alertmanager: the API, and the headless Service that names the pods and carries the gossip. */
export const ALERTMANAGER_SERVICES = { main: 'alertmanager', headless: 'alertmanager-headless' } as const;

export type AlertmanagerEndpoints = {
  /** API, UI and metrics, balanced over the replicas (datasources, people). */
  readonly http: Endpoint;
  /** The same port on the headless Service: each replica by its pod name (alert senders notify every one). */
  readonly peers: Endpoint;
  /** Gossip between replicas (TCP and UDP), only with more than one replica. */
  readonly cluster?: Endpoint;
};

export function alertmanagerEndpoints(cfg: StackConfig): AlertmanagerEndpoints {
  const ns = cfg.common.namespace;
  const p = cfg.alertmanager.ports;
  return {
    http: endpoint('alertmanager', ns, METRICS_PORT_NAME, p.http, 'http', ALERTMANAGER_SERVICES.main),
    peers: endpoint('alertmanager', ns, METRICS_PORT_NAME, p.http, 'http', ALERTMANAGER_SERVICES.headless),
    ...(cfg.alertmanager.replicas > 1
      ? { cluster: { ...endpoint('alertmanager', ns, 'cluster', p.cluster, 'tcp', ALERTMANAGER_SERVICES.headless), udp: true } }
      : {}),
  };
}

export const ALERTMANAGER_ENDPOINTS = { alertmanager: alertmanagerEndpoints } as const satisfies EndpointBuilders;

/**
 * `<pod>.<headless Service>.<namespace>.svc:<port>` of each Alertmanager replica: the StatefulSet is named
 * like its headless Service without `-headless` (here and in the Helm chart), so its pods are `<that>-<i>`.
 */
export function alertmanagerPodAddresses(peers: Endpoint, replicas: number, port: number = peers.port): string[] {
  const statefulSet = peers.service.replace(/-headless$/, '');
  return Array.from({ length: replicas }, (_, i) => `${statefulSet}-${i}.${peers.service}.${peers.namespace}.svc:${port}`);
}

/** Its datasource (`src/lib/datasources.ts`): the alerts role (alert groups and silences). */
export const ALERTMANAGER_DATASOURCE = { role: 'alerts', uid: 'alertmanager', name: 'Alertmanager', type: 'alertmanager' } as const satisfies DatasourceIdentity;
