/**
 * The composition root: one resolved environment in, one cdk8s App with a chart per component out.
 * Components never import each other; every cross-component fact (an endpoint, a scrape target) is
 * computed here and handed in as data, and recorded as a wire.
 */
import { App, type Chart } from 'cdk8s';
import { Cadvisor, cadvisorScrapeTarget } from './components/cadvisor/cadvisor';
import { Namespaces } from './components/namespaces/namespaces';
import { NetworkPolicies, apiClientsOf } from './components/network-policies/network-policies';
import { Prometheus } from './components/prometheus/prometheus';
import type { ComponentScrapeTarget } from './components/prometheus/prometheus-config';
import type { ResolvedEnvironment } from './config/types';
import { buildEndpoints, type Endpoints } from './lib/endpoints';
import { addDisruptionBudgets } from './lib/kube';
import { Labeler } from './lib/labels';
import { WireLog, type Wire } from './lib/wiring';

/** Chart ids double as file names under `dist/<env>/manifests/`; namespaces sort first so one `kubectl apply -f` works. */
export const NAMESPACES_CHART_ID = '00-namespaces';
export const NETWORK_POLICIES_CHART_ID = 'network-policies';

export interface StackBuild {
  readonly env: ResolvedEnvironment;
  readonly app: App;
  readonly endpoints: Endpoints;
  readonly wires: readonly Wire[];
  /** Component charts in synthesis order (namespaces first). */
  readonly charts: readonly Chart[];
}

export function buildStack(env: ResolvedEnvironment): StackBuild {
  const cfg = env.config;
  const app = new App({ outdir: '.unused', recordConstructMetadata: false });
  const endpoints = buildEndpoints(cfg);
  const wires = new WireLog();
  const labeler = new Labeler(env.name, cfg.common.labels);
  const charts: Chart[] = [];

  charts.push(new Namespaces(app, NAMESPACES_CHART_ID, {
    namespace: cfg.common.namespace,
    agentNamespace: cfg.common.agentNamespace,
    labeler,
    priorityClass: cfg.common.priorityClass.create && cfg.common.priorityClassName !== undefined
      ? { ...cfg.common.priorityClass, name: cfg.common.priorityClassName }
      : undefined,
  }));

  // Scrape targets for the stack's own components, recorded as wires from Prometheus.
  const scrapeTargets: ComponentScrapeTarget[] = [];
  let cadvisorTarget: ComponentScrapeTarget | undefined;

  if (cfg.cadvisor.enabled) {
    charts.push(new Cadvisor(app, 'cadvisor', {
      config: cfg.cadvisor, common: cfg.common, image: cfg.images.cadvisor, labeler, endpoint: endpoints.cadvisor.http,
    }));
    cadvisorTarget = cadvisorScrapeTarget(wires.connect('prometheus', endpoints.cadvisor.http, 'scrape', 'scrapes container metrics'));
  }

  wires.connect('prometheus', endpoints.prometheus.http, 'scrape', 'scrapes its own metrics');
  charts.push(new Prometheus(app, 'prometheus', {
    config: cfg.prometheus,
    common: cfg.common,
    clusterName: cfg.common.clusterName,
    image: cfg.images.prometheus,
    labeler,
    endpoint: endpoints.prometheus.http,
    scrapeTargets,
    cadvisorTarget,
  }));

  // Generic passes over every component: budgets for replicated workloads, then the policies built from
  // the wires recorded above (last, so they see every wire and every workload).
  for (const chart of charts) addDisruptionBudgets(chart);
  if (cfg.networkPolicy.enabled) {
    charts.push(new NetworkPolicies(app, NETWORK_POLICIES_CHART_ID, {
      wires: wires.wires,
      endpoints,
      namespace: cfg.common.namespace,
      agentNamespace: cfg.common.agentNamespace,
      labeler,
      config: cfg.networkPolicy,
      apiClients: apiClientsOf(charts.flatMap((c) => c.toJson())),
      annotatedPodScraper: cfg.prometheus.scrapeAnnotatedPods ? 'prometheus' : undefined,
      ingressTarget: cfg.grafana.enabled && cfg.grafana.ingress.enabled ? endpoints.grafana.http : undefined,
    }));
  }

  return { env, app, endpoints, wires: wires.wires, charts };
}
