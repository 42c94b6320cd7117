/**
 * The composition root: one resolved environment in, one cdk8s App with a chart per component out.
 * Components never import each other; every cross-component fact (an endpoint, a scrape target) is
 * computed here and handed in as data, and recorded as a wire.
 */
import { App, type Chart } from 'cdk8s';
import { Cadvisor, cadvisorScrapeTarget } from './components/cadvisor/cadvisor';
import { Namespaces } from './components/namespaces/namespaces';
import { renderRuleFilesYaml, type StackJob } from './components/alerts/rules';
import { DASHBOARD_UIDS, dashboardPath, renderDashboards } from './components/dashboards';
import { Prometheus, effectiveRetentionSize } from './components/prometheus/prometheus';
import type { ComponentScrapeTarget } from './components/prometheus/prometheus-config';
import type { ResolvedEnvironment, StackConfig } from './config/types';
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

  wires.connect('prometheus', endpoints.prometheus.http, 'scrape', 'scrapes its own metrics');
  // Alerts watch exactly the components Prometheus scrapes.
  const componentJobs = scrapedJobs(scrapeTargets, cadvisorTarget);
  charts.push(new Prometheus(app, 'prometheus', {
    config: cfg.prometheus,
    common: cfg.common,
    clusterName: cfg.common.clusterName,
    image: cfg.images.prometheus,
    labeler,
    endpoint: endpoints.prometheus.http,
    scrapeTargets,
    cadvisorTarget,
    ruleFiles: ruleFilesFor(cfg, componentJobs),
  }));

  return { env, app, endpoints, wires: wires.wires, charts };
}

/** Scrape jobs of the stack's components: Prometheus itself, cAdvisor, and every other component target. */
export function scrapedJobs(targets: readonly ComponentScrapeTarget[], cadvisor?: ComponentScrapeTarget): StackJob[] {
  return ['prometheus', ...(cadvisor ? [cadvisor.job] : []), ...targets.map((t) => t.job)] as StackJob[];
}

/** Prometheus rule files (recording rules always; alerts when `alerts.enabled`). */
export function ruleFilesFor(cfg: StackConfig, componentJobs: readonly StackJob[]): Record<string, string> {
  return renderRuleFilesYaml({
    alertsEnabled: cfg.alerts.enabled,
    thresholds: cfg.alerts.thresholds,
    componentJobs,
    logAgent: cfg.loki.enabled ? cfg.logAgent : undefined,
    dashboardPaths: { services: dashboardPath(DASHBOARD_UIDS.services), stackHealth: dashboardPath(DASHBOARD_UIDS.stackHealth) },
  });
}

/** The stack's dashboards (file name -> JSON) for the Grafana chart's `dashboards` prop. */
export function dashboardsFor(cfg: StackConfig, componentJobs: readonly StackJob[]): Record<string, string> {
  return renderDashboards({
    slowTraceSeconds: cfg.alerts.thresholds.latencyP99Seconds,
    componentJobs,
    logAgent: cfg.logAgent,
    retention: {
      prometheusTime: cfg.prometheus.retention,
      prometheusSize: effectiveRetentionSize(cfg.prometheus),
      loki: cfg.loki.retention,
      tempo: cfg.tempo.retention,
    },
  });
}
