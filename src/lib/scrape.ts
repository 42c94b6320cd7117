/**
 * What a component offers Prometheus: a scrape target found through pod discovery. Components declare
 * theirs (`StackComponent.scrapeTargets`); Prometheus's config renderer turns each into a scrape job.
 */
import type { Endpoint } from './endpoints';

/** A stack component Prometheus scrapes through pod discovery. */
export interface ComponentScrapeTarget {
  /** `job` label, e.g. `loki`. */
  readonly job: string;
  readonly namespace: string;
  /** Value of the pods' `app.kubernetes.io/name` label. */
  readonly appName: string;
  /** Name of the container port serving metrics. */
  readonly portName: string;
  readonly metricsPath: string;
  /**
   * The target reports every container of its node (cAdvisor): its series are labelled from the containers'
   * CRI labels and the node, not from the scraped pod. @default false
   */
  readonly nodeContainers?: boolean;
}

/** A stack component's target: job named after the component, `/metrics` on the endpoint's port. */
export function componentScrapeTarget(appName: string, endpoint: Endpoint): ComponentScrapeTarget {
  return { job: appName, namespace: endpoint.namespace, appName, portName: endpoint.portName, metricsPath: '/metrics' };
}

