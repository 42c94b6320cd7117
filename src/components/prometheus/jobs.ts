/** The scrape jobs of the stack's own components, as rules and dashboards name them. */
import type { StackJob } from '../alerts/rules';
import type { ComponentScrapeTarget } from '../../lib/scrape';

/** Prometheus itself, then every collected component target, in registry order. */
export function stackJobs(targets: readonly ComponentScrapeTarget[]): StackJob[] {
  return ['prometheus', ...targets.map((t) => t.job)] as StackJob[];
}

/** The targets as Prometheus's renderer takes them: component jobs, and the node-containers target (cAdvisor). */
export function prometheusScrapeOf(targets: readonly ComponentScrapeTarget[]): {
  readonly components: readonly ComponentScrapeTarget[]; readonly cadvisor?: ComponentScrapeTarget;
} {
  return { components: targets.filter((t) => !t.nodeContainers), cadvisor: targets.find((t) => t.nodeContainers) };
}
