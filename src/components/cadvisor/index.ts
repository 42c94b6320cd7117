/** cAdvisor as a stack component: a DaemonSet in the agents namespace whose target reports its node's containers. */
import { type StackComponent, configSection } from '../component';
import { metricsSeriesBudget } from '../../lib/series-budget';
import { CADVISOR_SERIES_PER_CONTAINER } from './sizing';
import { CADVISOR_METRICS } from './metrics';
import { Cadvisor, cadvisorScrapeTarget } from './cadvisor';
import { containersDashboardInput, renderContainersDashboard } from './containers-dashboard';
import { cadvisorHelm } from './helm';
import { CADVISOR_DEFAULTS, CADVISOR_PROFILES, cadvisorSchema } from './config';
import { CADVISOR_ENDPOINTS, CADVISOR_NAMES } from './endpoints';

export const cadvisor: StackComponent<'cadvisor'> = {
  id: 'cadvisor',
  enabled: (cfg) => cfg.cadvisor.enabled,
  metricSources: [CADVISOR_METRICS],
  pods: (cfg) => cfg.cadvisor.pods,
  readme: {
    // The containers per node the metrics store's node-containers sample limit holds.
    capacity: (cfg) => [{ label: 'containers per node', value: Math.floor(metricsSeriesBudget(cfg).nodeContainersSampleLimit / CADVISOR_SERIES_PER_CONTAINER) }],
  },
  scrapeTargets: ({ endpoints }, scrape) => [cadvisorScrapeTarget(scrape(endpoints.cadvisor.http))],
  build: ({ scope, cfg, labeler, endpoints }) => new Cadvisor(scope, 'cadvisor', {
    config: cfg.cadvisor, common: cfg.common, image: cfg.cadvisor.image, labeler, endpoint: endpoints.cadvisor.http,
  }),
  dashboards: ({ cfg }) => renderContainersDashboard(containersDashboardInput(cfg)),
  // What the Helm chart cannot express, each with the template that decides it (the pinned chart version).
  helmChartLimits: [
    {
      chart: 'cadvisor', fact: 'pod securityContext',
      reason: 'The cadvisor chart writes no pod securityContext (templates/daemonset.yaml has no value for it): the pod runs as the image\'s root user, as in the manifests, but without the RuntimeDefault seccomp profile.',
    },
    {
      chart: 'cadvisor', fact: 'securityContext',
      reason: 'templates/daemonset.yaml writes only `privileged` into the container securityContext: capabilities are not dropped, the root filesystem stays writable and privilege escalation is not refused.',
    },
    { chart: 'cadvisor', fact: 'livenessProbe', reason: 'templates/daemonset.yaml has no probe values: the kubelet restarts cAdvisor only when it exits.' },
    { chart: 'cadvisor', fact: 'readinessProbe', reason: 'templates/daemonset.yaml has no probe values: the Service sends scrapes to a pod as soon as it runs.' },
    { chart: 'cadvisor', fact: 'env GOMEMLIMIT', reason: 'templates/daemonset.yaml takes no env, so the Go runtime has no soft memory limit.' },
  ],
  helm: cadvisorHelm,
};

/** What the registry assembles from this folder. */
export const registration = {
  component: cadvisor,
  config: { cadvisor: configSection(cadvisorSchema, CADVISOR_DEFAULTS, CADVISOR_PROFILES) },
  endpoints: CADVISOR_ENDPOINTS,
  names: CADVISOR_NAMES,
} as const;
