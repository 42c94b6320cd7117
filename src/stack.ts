/**
 * The composition root: one resolved environment in, one cdk8s App with a chart per component out.
 * Components never import each other; every cross-component fact (an endpoint, a scrape target) is
 * computed here and handed in as data, and recorded as a wire.
 */
import { App, type Chart } from 'cdk8s';
import { Cadvisor, cadvisorScrapeTarget } from './components/cadvisor/cadvisor';
import { Namespaces } from './components/namespaces/namespaces';
import { Prometheus } from './components/prometheus/prometheus';
import type { ComponentScrapeTarget } from './components/prometheus/prometheus-config';
import type { ResolvedEnvironment } from './config/types';
import { buildEndpoints, type Endpoints } from './lib/endpoints';
import { Labeler } from './lib/labels';
import { WireLog, type Wire } from './lib/wiring';

/** Chart ids double as file names under `dist/<env>/manifests/`; namespaces sort first so one `kubectl apply -f` works. */
export const NAMESPACES_CHART_ID = '00-namespaces';

export interface StackBuild {
  readonly env: ResolvedEnvironment;
  readonly app: App;
  readonly endpoints: Endpoints;
  readonly wires: readonly Wire[];
  /** Component charts in synthesis order (namespaces first). */
  readonly charts: readonly Chart[];
  /** What Prometheus scrapes besides itself (the Helm values generator maps these onto the charts' pods). */
  readonly prometheusScrape: { readonly components: readonly ComponentScrapeTarget[]; readonly cadvisor?: ComponentScrapeTarget };
  /** Prometheus rule files (name → YAML text), the same for the manifests and the Helm values. */
  readonly prometheusRuleFiles: Readonly<Record<string, string>>;
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

  const ruleFiles: Record<string, string> = {};
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
    ruleFiles,
  }));

  return {
    env, app, endpoints, wires: wires.wires, charts,
    prometheusScrape: { components: scrapeTargets, cadvisor: cadvisorTarget },
    prometheusRuleFiles: ruleFiles,
  };
}
