/** The collected scrape targets as Prometheus's config renderer groups them. */
import { type ClusterScrapeTarget, type ComponentScrapeTarget, type ScrapeTarget, isClusterTarget } from '../../lib/scrape';

/**
 * The targets as Prometheus's renderer takes them: component jobs, the node-containers target (`nodeContainers`),
 * and the parts of the cluster (kubelet, API server, CoreDNS).
 */
export function prometheusScrapeOf(targets: readonly ScrapeTarget[]): {
  readonly components: readonly ComponentScrapeTarget[];
  readonly nodeContainers?: ComponentScrapeTarget;
  readonly cluster: readonly ClusterScrapeTarget[];
} {
  const components = targets.filter((t): t is ComponentScrapeTarget => !isClusterTarget(t));
  return {
    components: components.filter((t) => !t.nodeContainers),
    nodeContainers: components.find((t) => t.nodeContainers),
    cluster: targets.filter(isClusterTarget),
  };
}
