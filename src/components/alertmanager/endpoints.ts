/**
 * The Alertmanager's endpoints (Services `alertmanager` and the headless `alertmanager-headless`, which
 * governs the StatefulSet's pod names and carries the peers' gossip). Part of the endpoint registry.
 */
import type { StackConfig } from '../../config/types';
import { METRICS_PORT_NAME, type Endpoint, type EndpointFactory } from '../../lib/endpoints';

export const ALERTMANAGER_SERVICES = { main: 'alertmanager', headless: 'alertmanager-headless' } as const;

export interface AlertmanagerEndpoints {
  /** API, UI and metrics, load-balanced over the replicas (Grafana, people). */
  readonly http: Endpoint;
  /** The same port on the headless Service: each replica by name (Prometheus notifies every one). */
  readonly peersHttp: Endpoint;
  /** Gossip between replicas (TCP and UDP), only with more than one replica. */
  readonly cluster?: Endpoint;
}

export function alertmanagerEndpoints(cfg: StackConfig, endpoint: EndpointFactory): AlertmanagerEndpoints {
  const ns = cfg.common.namespace;
  const p = cfg.alertmanager.ports;
  return {
    http: endpoint('alertmanager', ns, METRICS_PORT_NAME, p.http, 'http', ALERTMANAGER_SERVICES.main),
    peersHttp: endpoint('alertmanager', ns, METRICS_PORT_NAME, p.http, 'http', ALERTMANAGER_SERVICES.headless),
    ...(cfg.alertmanager.replicas > 1 ? { cluster: endpoint('alertmanager', ns, 'cluster', p.cluster, 'tcp', ALERTMANAGER_SERVICES.headless) } : {}),
  };
}

/**
 * `<pod>.<headless service>.<namespace>.svc:<port>` of each replica. The StatefulSet is named like its
 * headless Service without `-headless` (here and in the Helm chart), so its pods are `<that>-<i>`.
 */
export function alertmanagerPodAddresses(peers: Endpoint, replicas: number, port: number = peers.port): string[] {
  const statefulSet = peers.service.replace(/-headless$/, '');
  return Array.from({ length: replicas }, (_, i) => `${statefulSet}-${i}.${peers.service}.${peers.namespace}.svc:${port}`);
}
