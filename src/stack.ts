/**
 * The composition root: one resolved environment in, one cdk8s App with a chart per component out.
 * Components never import each other; every cross-component fact (an endpoint, a scrape target) is
 * computed here and handed in as data, and recorded as a wire.
 */
import { App, type Chart } from 'cdk8s';
import { Alloy, alloyScrapeTarget } from './components/alloy/alloy';
import { Cadvisor, cadvisorScrapeTarget } from './components/cadvisor/cadvisor';
import { Grafana, grafanaScrapeTarget } from './components/grafana/grafana';
import type { DatasourcesInput } from './components/grafana/datasources';
import { buildLogPipeline } from './components/log-pipeline/log-pipeline';
import { Loki, lokiScrapeTarget } from './components/loki/loki';
import { lokiTenantHeaders } from './components/loki/loki-config';
import { Demo } from './components/demo/demo';
import { Namespaces } from './components/namespaces/namespaces';
import { NetworkPolicies, apiClientsOf } from './components/network-policies/network-policies';
import { renderRuleFilesYaml, type StackJob } from './components/alerts/rules';
import { DASHBOARD_UIDS, dashboardPath, renderDashboards } from './components/dashboards';
import { Prometheus, effectiveRetentionSize } from './components/prometheus/prometheus';
import { Promtail, promtailScrapeTarget } from './components/promtail/promtail';
import { Tempo, tempoReceiverEndpoints, tempoScrapeTarget } from './components/tempo/tempo';
import type { ComponentScrapeTarget } from './components/prometheus/prometheus-config';
import type { ResolvedEnvironment, StackConfig } from './config/types';
import {
  buildEndpoints, lokiPushEndpoint, lokiPushUrl, lokiQueryEndpoint, otlpHttpEndpoint, prometheusRemoteWriteUrl, type Endpoint, type Endpoints,
} from './lib/endpoints';
import { externalEndpoints } from './lib/external';
import { chartObjects } from './lib/chart-objects';
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

  if (cfg.loki.enabled) {
    const scalable = endpoints.loki.scalable;
    if (scalable !== undefined) {
      // Simple-scalable: the targets talk to each other (the policies select every Loki pod for these).
      wires.connect('loki', scalable.memberlist, 'gossip', 'joins the memberlist rings');
      wires.connect('loki', scalable.writeGrpc, 'grpc', 'pushes to and queries the ingesters (write)');
      wires.connect('loki', scalable.backendGrpc, 'grpc', 'reaches the compactor and query schedulers (backend)');
      wires.connect('loki', scalable.backendHeadlessGrpc, 'grpc', 'queries the index gateways (backend)');
      wires.connect('loki', scalable.query, 'http', 'proxies tail requests to the queriers (read)');
    }
    charts.push(new Loki(app, 'loki', {
      config: cfg.loki, common: cfg.common, image: cfg.images.loki, labeler, http: endpoints.loki.http, grpc: endpoints.loki.grpc, scalable,
    }));
    scrapeTargets.push(lokiScrapeTarget(wires.connect('prometheus', endpoints.loki.http, 'scrape', 'scrapes Loki metrics')));

    // One pipeline model for whichever agent ships the logs.
    const agent = cfg.logAgent;
    wires.connect(agent, lokiPushEndpoint(endpoints), 'push', 'pushes container logs');
    const pipeline = buildLogPipeline({ clusterName: cfg.common.clusterName, pushUrl: lokiPushUrl(endpoints), tenant: cfg.loki.tenant });
    if (agent === 'alloy') {
      charts.push(new Alloy(app, 'alloy', {
        config: cfg.alloy, common: cfg.common, image: cfg.images.alloy, labeler, endpoint: endpoints.alloy.http, pipeline,
      }));
      scrapeTargets.push(alloyScrapeTarget(wires.connect('prometheus', endpoints.alloy.http, 'scrape', 'scrapes Alloy metrics')));
    } else {
      charts.push(new Promtail(app, 'promtail', {
        config: cfg.promtail, common: cfg.common, image: cfg.images.promtail, labeler, endpoint: endpoints.promtail.http, pipeline,
      }));
      scrapeTargets.push(promtailScrapeTarget(wires.connect('prometheus', endpoints.promtail.http, 'scrape', 'scrapes Promtail metrics')));
    }
  }

  if (cfg.tempo.enabled) {
    let remoteWriteUrl: string | undefined;
    if (cfg.tempo.metricsGenerator) {
      wires.connect('tempo', endpoints.prometheus.http, 'remote-write', 'writes span metrics and the service graph');
      remoteWriteUrl = prometheusRemoteWriteUrl(endpoints);
    }
    if (endpoints.tempo.memberlist !== undefined) {
      wires.connect('tempo', endpoints.tempo.memberlist, 'gossip', 'joins the memberlist rings');
      wires.connect('tempo', endpoints.tempo.grpc, 'grpc', 'forwards spans to the ingesters and generators, queries the ingesters');
    }
    for (const receiver of tempoReceiverEndpoints(cfg.tempo, endpoints.tempo)) {
      wires.connect('cluster-workloads', receiver, 'otlp', `send traces (${receiver.portName})`);
    }
    charts.push(new Tempo(app, 'tempo', {
      config: cfg.tempo,
      common: cfg.common,
      image: cfg.images.tempo,
      labeler,
      endpoints: endpoints.tempo,
      clusterName: cfg.common.clusterName,
      remoteWriteUrl,
    }));
    scrapeTargets.push(tempoScrapeTarget(wires.connect('prometheus', endpoints.tempo.http, 'scrape', 'scrapes Tempo metrics')));
  }

  if (cfg.grafana.enabled) {
    scrapeTargets.push(grafanaScrapeTarget(wires.connect('prometheus', endpoints.grafana.http, 'scrape', 'scrapes Grafana\'s metrics')));
  }

  if (cfg.demo.enabled) {
    // Example services (dev): frontend calls backend, both send traces to Tempo and are scraped by annotation.
    wires.connect('demo-traffic', endpoints.demoFrontend.http, 'http', 'sends steady traffic');
    wires.connect('demo-frontend', endpoints.demoBackend.http, 'http', 'calls the backend (W3C trace context)');
    wires.connect('demo-frontend', endpoints.tempo.otlpHttp, 'otlp', 'sends traces (OTLP/HTTP)');
    wires.connect('demo-backend', endpoints.tempo.otlpHttp, 'otlp', 'sends traces (OTLP/HTTP)');
    wires.connect('prometheus', endpoints.demoFrontend.http, 'scrape', 'scrapes the annotated demo-frontend pods');
    wires.connect('prometheus', endpoints.demoBackend.http, 'scrape', 'scrapes the annotated demo-backend pods');
    charts.push(new Demo(app, 'demo', {
      config: cfg.demo,
      common: cfg.common,
      image: cfg.images.demo,
      labeler,
      frontend: endpoints.demoFrontend.http,
      backend: endpoints.demoBackend.http,
      otlpEndpoint: otlpHttpEndpoint(endpoints),
    }));
  }

  wires.connect('prometheus', endpoints.prometheus.http, 'scrape', 'scrapes its own metrics');
  // Alerts and the stack-health dashboard watch exactly the components Prometheus scrapes.
  const componentJobs = scrapedJobs(scrapeTargets, cadvisorTarget);

  if (cfg.grafana.enabled) {
    // The Ingress is served by the cluster's ingress controller, which connects to Grafana's Service port.
    if (cfg.grafana.ingress.enabled) wires.connect('ingress-controller', endpoints.grafana.http, 'http', 'serves Grafana through the Ingress');
    // Datasources only for the components that are deployed; each URL is the wired endpoint's.
    charts.push(new Grafana(app, 'grafana', {
      config: cfg.grafana,
      common: cfg.common,
      image: cfg.images.grafana,
      labeler,
      endpoint: endpoints.grafana.http,
      datasources: grafanaDatasourcesFor(cfg, {
        // A long-term store configured as the metrics datasource is an external endpoint (src/lib/external.ts).
        prometheus: cfg.grafana.metricsDatasource.url === ''
          ? wires.connect('grafana', endpoints.prometheus.http, 'query', 'queries metrics (Prometheus datasource)')
          : undefined,
        loki: cfg.loki.enabled ? wires.connect('grafana', lokiQueryEndpoint(endpoints), 'query', 'queries logs (Loki datasource)') : undefined,
        tempo: cfg.tempo.enabled ? wires.connect('grafana', endpoints.tempo.http, 'query', 'queries traces (Tempo datasource)') : undefined,
      }),
      dashboards: dashboardsFor(cfg, componentJobs),
    }));
  }

  const ruleFiles = ruleFilesFor(cfg, componentJobs);
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
    alertmanagers: cfg.alerts.enabled ? cfg.alerts.alertmanagers : [],
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
      external: externalEndpoints(cfg),
      apiClients: apiClientsOf(charts.flatMap((c) => chartObjects(c))),
      annotatedPodScraper: cfg.prometheus.scrapeAnnotatedPods ? 'prometheus' : undefined,
      clientNamespaces: cfg.demo.enabled ? { 'demo-traffic': cfg.common.namespace } : {},
    }));
  }

  return {
    env, app, endpoints, wires: wires.wires, charts,
    prometheusScrape: { components: scrapeTargets, cadvisor: cadvisorTarget },
    prometheusRuleFiles: ruleFiles,
  };
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
    notifiesAlertmanagers: cfg.alerts.enabled && cfg.alerts.alertmanagers.length > 0,
    dashboardPaths: { services: dashboardPath(DASHBOARD_UIDS.services), stackHealth: dashboardPath(DASHBOARD_UIDS.stackHealth) },
  });
}

/**
 * Grafana's datasources: only for the components that are deployed (`loki`/`tempo` given), each URL the
 * endpoint's (the manifests' or the Helm installation's).
 */
export function grafanaDatasourcesFor(
  cfg: StackConfig,
  eps: { readonly prometheus?: Endpoint; readonly loki?: Endpoint; readonly tempo?: Endpoint },
): DatasourcesInput {
  const external = cfg.grafana.metricsDatasource;
  if (external.url === '' && eps.prometheus === undefined) throw new Error('internal: the Prometheus datasource needs an endpoint');
  return {
    prometheus: external.url !== ''
      // A long-term store (Mimir, Thanos, ...) instead of the local Prometheus, under the same UID.
      ? { url: external.url, scrapeInterval: cfg.prometheus.scrapeInterval, type: external.type, headers: external.headers }
      : { url: eps.prometheus!.url, scrapeInterval: cfg.prometheus.scrapeInterval, version: cfg.images.prometheus.tag.replace(/^v/, '') },
    ...(eps.loki ? {
      loki: {
        url: eps.loki.url,
        // The same tenant decision the log agents use.
        headers: lokiTenantHeaders(cfg.loki.tenant),
      },
    } : {}),
    ...(eps.tempo ? {
      tempo: {
        url: eps.tempo.url,
        metricsGenerator: cfg.tempo.metricsGenerator,
        // Tempo's config sets stream_over_http_enabled (a Grafana test checks the two agree).
        streamOverHttp: true,
      },
    } : {}),
  };
}

/** The stack's dashboards (file name -> JSON) for the Grafana chart's `dashboards` prop. */
export function dashboardsFor(cfg: StackConfig, componentJobs: readonly StackJob[]): Record<string, string> {
  return renderDashboards({
    slowTraceSeconds: cfg.alerts.thresholds.latencyP99Seconds,
    componentJobs,
    logAgent: cfg.logAgent,
    oomEvents: cfg.cadvisor.enabled && cfg.cadvisor.privileged,
    retention: {
      prometheusTime: cfg.prometheus.retention,
      prometheusSize: effectiveRetentionSize(cfg.prometheus),
      loki: cfg.loki.retention,
      tempo: cfg.tempo.retention,
    },
  });
}
