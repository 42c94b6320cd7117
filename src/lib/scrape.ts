/**
 * What a component offers the scraper: a scrape target. Components declare theirs
 * (`StackComponent.scrapeTargets`); the scraper's config renderer turns each into a scrape job.
 *
 * Two kinds: a stack component found through pod discovery (`ComponentScrapeTarget`), and a part of the
 * cluster the stack does not deploy (`ClusterScrapeTarget`: the kubelets, the API server, CoreDNS), which
 * also says what the scraper's ServiceAccount needs to find and read it.
 */
import type { Endpoint } from './endpoints';

/** A stack component the scraper finds through pod discovery. */
export interface ComponentScrapeTarget {
  /** `job` label: the name of the component scraped. */
  readonly job: string;
  /** The component's name as people write it, which may differ from `job` in case and spacing: alert summaries use it. */
  readonly title: string;
  readonly namespace: string;
  /** Value of the pods' `app.kubernetes.io/name` label. */
  readonly appName: string;
  /** Name of the container port serving metrics. */
  readonly portName: string;
  readonly metricsPath: string;
  /**
   * The target reports every container of its node (a container-metrics agent): its series are labelled
   * from the containers' CRI labels and the node, not from the scraped pod. @default false
   */
  readonly nodeContainers?: boolean;
  /**
   * The Kubernetes labels the series get from the scraped pod: `pod` (namespace, pod, container, node and
   * service), `node` (the node only, which is also the `instance`: one target per node, e.g. a host-network
   * node agent), or `none` (the series carry their own `namespace` and `pod`, as an exporter of Kubernetes
   * objects writes them, and the scraped pod's would overwrite them). @default 'pod'
   */
  readonly targetLabels?: 'pod' | 'node' | 'none';
}

/** A stack component's target: job named after the component, `/metrics` on the endpoint's port. */
export function componentScrapeTarget(appName: string, title: string, endpoint: Endpoint): ComponentScrapeTarget {
  return { job: appName, title, namespace: endpoint.namespace, appName, portName: endpoint.portName, metricsPath: '/metrics' };
}

/**
 * Kubernetes API access a scrape needs from the scraper's ServiceAccount: read-only verbs, granted by its
 * ClusterRole (a Role in another namespace would be an object outside the stack's namespaces).
 */
export type ApiAccess =
  | { readonly apiGroup: string; readonly resources: readonly string[]; readonly verbs: ReadonlyArray<'get' | 'list' | 'watch'> }
  | { readonly nonResourceURLs: readonly string[]; readonly verbs: ReadonlyArray<'get'> };

/** How the scraper finds a part of the cluster. */
export type ClusterDiscovery =
  /** Every node, at the address and kubelet port its Node object reports. */
  | { readonly role: 'node' }
  /** The endpoints of one Service (each API server behind `kubernetes`), by port name. */
  | { readonly role: 'endpointslice'; readonly namespace: string; readonly service: string; readonly portName: string }
  /** Pods of a namespace by labels, on one container port. */
  | { readonly role: 'pod'; readonly namespace: string; readonly podSelector: Readonly<Record<string, string>>; readonly port: number };

/** A part of the cluster the stack does not deploy, scraped where it runs. */
export interface ClusterScrapeTarget {
  readonly kind: 'cluster';
  /** `job` label, e.g. `kubelet`. */
  readonly job: string;
  readonly discovery: ClusterDiscovery;
  readonly scheme: 'http' | 'https';
  readonly metricsPath: string;
  /**
   * Authenticate with the scraper's ServiceAccount token and verify the server with the cluster CA
   * (`serverName` when the certificate does not name the scraped address).
   */
  readonly serviceAccountAuth?: { readonly insecureSkipVerify: boolean; readonly serverName?: string };
  /** Use the scraper's scrape time rather than the timestamps the target writes (the kubelet's cAdvisor). @default true */
  readonly honorTimestamps?: boolean;
  /** The metric names kept; every other series of the target is dropped before it is stored. */
  readonly keepMetrics: readonly string[];
  /** Series dropped as well: the values of `sourceLabels` joined by `;` fully matching `regex`. @default - none */
  readonly dropSeries?: ReadonlyArray<{ readonly sourceLabels: readonly string[]; readonly regex: string }>;
  /** What the scraper's ServiceAccount needs for the discovery and the scrape. */
  readonly access: readonly ApiAccess[];
}

export type ScrapeTarget = ComponentScrapeTarget | ClusterScrapeTarget;

export function isClusterTarget(t: ScrapeTarget): t is ClusterScrapeTarget {
  return (t as ClusterScrapeTarget).kind === 'cluster';
}
