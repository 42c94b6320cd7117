/** The scrape jobs of the stack's own components, as rules and dashboards name them. */
import type { StackJob } from '../../lib/rules';
import { type ClusterScrapeTarget, type ComponentScrapeTarget, type ScrapeTarget, isClusterTarget } from '../../lib/scrape';
import { PROMETHEUS_IDENTITY, PROMETHEUS_TITLE } from './prometheus';

/** Prometheus itself, then every collected stack component target, in registry order (cluster targets are not the stack's). */
export function stackJobs(targets: readonly ScrapeTarget[]): StackJob[] {
  const components = targets.filter((t): t is ComponentScrapeTarget => !isClusterTarget(t));
  return [{ job: PROMETHEUS_IDENTITY.name, title: PROMETHEUS_TITLE }, ...components.map(({ job, title }) => ({ job, title }))];
}

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
