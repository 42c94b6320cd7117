/**
 * The parts of the cluster the scraper scrapes where they run: each node's kubelet, the API server and
 * CoreDNS. The stack deploys nothing for them; each target says how the scraper finds it and what its
 * ServiceAccount needs (read-only), and keeps only the series the stack's rules and dashboards read.
 *
 * The kubelet is scraped directly on each node address (HTTPS, port from the Node object) with the scraper's
 * ServiceAccount token. The kubelet authorizes `/metrics` and everything under it (`/metrics/cadvisor`,
 * `/metrics/probes`) as the `nodes/metrics` subresource (pkg/kubelet/server/auth.go), so that is the one
 * grant needed. `nodes/proxy` is not: it is what scraping through the API server's node proxy
 * (`/api/v1/nodes/<node>/proxy/metrics`) would need, and it also allows exec into any pod of the node.
 */
import type { KubernetesEndpoints } from './endpoints';
import { keepList } from '../../lib/metric-source';
import { CLUSTER_METRIC_SOURCES, CLUSTER_SOURCE_JOBS } from './metrics';
import type { ClusterScrapeTarget } from '../../lib/scrape';
import type { KubernetesTargetsConfig } from './config';

/** Scrape job names (one per metric source), as rules and dashboards select them. */
export const CLUSTER_JOBS = {
  kubelet: CLUSTER_SOURCE_JOBS.kubelet,
  kubeletCadvisor: CLUSTER_SOURCE_JOBS['kubelet-cadvisor'],
  kubeletProbes: CLUSTER_SOURCE_JOBS['kubelet-probes'],
  apiServer: CLUSTER_SOURCE_JOBS.apiserver,
  coredns: CLUSTER_SOURCE_JOBS.coredns,
} as const;

/** The kubelet's metrics paths (pkg/kubelet/server/server.go). */
export const KUBELET_PATHS = { metrics: '/metrics', cadvisor: '/metrics/cadvisor', probes: '/metrics/probes' } as const;

/** Node discovery (list/watch nodes) and the kubelet's `nodes/metrics` (get), cluster-wide. */
const KUBELET_ACCESS: ClusterScrapeTarget['access'] = [
  { apiGroup: '', resources: ['nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroup: '', resources: ['nodes/metrics'], verbs: ['get'] },
];

export function clusterScrapeTargets(cfg: KubernetesTargetsConfig, eps: KubernetesEndpoints): ClusterScrapeTarget[] {
  const out: ClusterScrapeTarget[] = [];
  const kubelet = (job: string, metricsPath: string, keepMetrics: string[], extra: Partial<ClusterScrapeTarget> = {}): ClusterScrapeTarget => ({
    kind: 'cluster', job, discovery: { role: 'node' }, scheme: 'https', metricsPath,
    serviceAccountAuth: { insecureSkipVerify: cfg.kubelet.insecureSkipVerify },
    keepMetrics, access: KUBELET_ACCESS, ...extra,
  });
  if (cfg.kubelet.metrics) out.push(kubelet(CLUSTER_JOBS.kubelet, KUBELET_PATHS.metrics, keepList(CLUSTER_METRIC_SOURCES.kubelet)));
  if (cfg.kubelet.cadvisor) {
    out.push(kubelet(CLUSTER_JOBS.kubeletCadvisor, KUBELET_PATHS.cadvisor, keepList(CLUSTER_METRIC_SOURCES.kubeletCadvisor), {
      // The kubelet's cAdvisor stamps samples with its own collection time; the scraper's scrape time keeps
      // staleness working when a container goes away.
      honorTimestamps: false,
      // Cgroups that are neither a pod's nor the node's root (system slices): nothing reads them.
      dropSeries: [{ sourceLabels: ['pod', 'id'], regex: ';/.+' }],
    }));
  }
  if (cfg.kubelet.probes) out.push(kubelet(CLUSTER_JOBS.kubeletProbes, KUBELET_PATHS.probes, keepList(CLUSTER_METRIC_SOURCES.kubeletProbes)));
  if (cfg.apiServer.enabled) {
    const api = eps.apiServer.https;
    out.push({
      kind: 'cluster', job: CLUSTER_JOBS.apiServer,
      discovery: { role: 'endpointslice', namespace: api.namespace, service: api.service, portName: api.portName },
      scheme: 'https', metricsPath: '/metrics',
      // The serving certificate names the Service (kubernetes.default.svc), not always each endpoint address.
      serviceAccountAuth: { insecureSkipVerify: false, serverName: api.host },
      keepMetrics: keepList(CLUSTER_METRIC_SOURCES.apiServer),
      access: [
        // Endpointslice discovery watches the slices, their Services and pods of the namespace it looks in
        // (`default`; pods are granted already). A ClusterRole grants it: a Role in `default` would be an
        // object outside the stack's namespaces.
        { apiGroup: 'discovery.k8s.io', resources: ['endpointslices'], verbs: ['list', 'watch'] },
        { apiGroup: '', resources: ['services'], verbs: ['list', 'watch'] },
        { nonResourceURLs: ['/metrics'], verbs: ['get'] },
      ],
    });
  }
  if (cfg.coredns.enabled) {
    const dns = eps.coredns.metrics;
    if (dns.peer?.kind !== 'cluster-pods') throw new Error('internal: the CoreDNS endpoint names no pods');
    const peer = dns.peer.podSelector;
    out.push({
      kind: 'cluster', job: CLUSTER_JOBS.coredns,
      discovery: { role: 'pod', namespace: dns.namespace, podSelector: peer, port: dns.port },
      scheme: 'http', metricsPath: '/metrics',
      keepMetrics: keepList(CLUSTER_METRIC_SOURCES.coredns),
      // Pods are granted cluster-wide already (every stack job discovers pods).
      access: [],
    });
  }
  return out;
}
