/**
 * The Service names, ports and pod labels the pinned charts really create, per release name: the Helm
 * path's counterpart of `buildEndpoints`. Every fact here was read from the chart's templates at the pinned
 * version (paths relative to the chart folder named in charts.ts `source`); keep them here and nowhere else.
 * test/outputs/helm/rendered.test.ts checks them against what helm renders (Service names, ports and
 * targetPorts, pod labels, metrics port names).
 *
 * `helmEndpoints` returns the same `Endpoints` type as `buildEndpoints`, so the component config renderers
 * (Prometheus scrape jobs, Tempo remote write, Grafana datasources, log agents' push URL) produce URLs that
 * work inside a Helm installation without knowing which path they serve.
 */
import type { ComponentScrapeTarget } from '../../components/prometheus/prometheus-config';
import type { StackConfig } from '../../config/types';
import type { ConfigIssue } from '../../config/errors';
import { type Endpoint, METRICS_PORT_NAME } from '../../lib/endpoints';
import {
  type ClusterMonitoringEndpoints, type ComponentName, type Endpoints, buildEndpoints, clusterMonitoringEndpoints,
} from '../../components/registry';
import { CHART_KEYS, HELM_CHARTS, type ChartKey } from './charts';
import { alertmanagerDeployed } from '../../components/alertmanager';
import { OTLP_GATEWAY_IDENTITY } from '../../components/otlp-gateway/gateway';

/** Release name per chart. */
export type HelmReleases = Readonly<Record<ChartKey, string>>;

/** Release names obs-stack uses: the chart names, which also give the shortest Service names. */
export const DEFAULT_RELEASES: HelmReleases = Object.fromEntries(CHART_KEYS.map((k) => [k, k])) as Record<ChartKey, string>;

/** Helm's `trunc 63 | trimSuffix "-"`. */
function dnsTrunc(s: string): string {
  const t = s.slice(0, 63);
  return t.endsWith('-') ? t.slice(0, -1) : t;
}

/**
 * The `<chart>.fullname` template every one of these charts shares (no fullnameOverride/nameOverride set):
 * the release name alone when it contains the chart name, else `<release>-<chart>`.
 */
export function chartFullname(chartName: string, release: string): string {
  return dnsTrunc(release.includes(chartName) ? release : `${release}-${chartName}`);
}

/** One Service port a chart creates. */
export interface ChartServicePort {
  readonly name: string;
  readonly port: number;
  /** The pods' port it forwards to, where that differs from `port`. */
  readonly targetPort?: number;
}

/** Where a chart's pods expose metrics, for pod-discovery scrape jobs. */
export interface ChartPodFacts {
  /** Value of `app.kubernetes.io/name` on the chart's pods (the chart name: we never set nameOverride). */
  readonly appName: string;
  /** Name of the container port serving `/metrics`. */
  readonly metricsPortName: string;
  readonly metricsPath: string;
}

/**
 * Pod facts per chart.
 * - prometheus: `templates/_helpers.tpl` `prometheus.common.matchLabels` (name, instance) plus
 *   `app.kubernetes.io/component: server`; the container port 9090 is unnamed unless `server.portName`
 *   is set (`templates/deploy.yaml`), so our values set it to `PROMETHEUS_CONTAINER_PORT_NAME`.
 * - cadvisor: `templates/daemonset.yaml` port `http` (`container.port`).
 * - loki: `templates/_helpers.tpl` `loki.selectorLabels` + component `single-binary`; port `http-metrics`.
 * - promtail: `templates/_pod.tpl` port `http-metrics` (`config.serverPort`).
 * - alloy: `templates/containers/_agent.yaml` port `http-metrics` (`alloy.listenPort`).
 * - tempo: `templates/statefulset.yaml` port `prom-metrics` (3200, fixed).
 * - grafana: `templates/_pod.tpl` port `podPortName` (default `grafana`, `service.targetPort`).
 */
export const PROMETHEUS_CONTAINER_PORT_NAME = 'http-metrics';
export const CHART_PODS: Readonly<Record<ChartKey, ChartPodFacts>> = {
  prometheus: { appName: 'prometheus', metricsPortName: PROMETHEUS_CONTAINER_PORT_NAME, metricsPath: '/metrics' },
  cadvisor: { appName: 'cadvisor', metricsPortName: 'http', metricsPath: '/metrics' },
  loki: { appName: 'loki', metricsPortName: 'http-metrics', metricsPath: '/metrics' },
  promtail: { appName: 'promtail', metricsPortName: 'http-metrics', metricsPath: '/metrics' },
  alloy: { appName: 'alloy', metricsPortName: 'http-metrics', metricsPath: '/metrics' },
  tempo: { appName: 'tempo', metricsPortName: 'prom-metrics', metricsPath: '/metrics' },
  // `nameOverride` (otlp-gateway/helm-values.ts): the manifests' pod name label.
  'otlp-gateway': { appName: OTLP_GATEWAY_IDENTITY.name, metricsPortName: 'http-metrics', metricsPath: '/metrics' },
  grafana: { appName: 'grafana', metricsPortName: 'grafana', metricsPath: '/metrics' },
};

/** Components the prometheus chart runs through its subcharts (obs-stack's component names). */
export type SubchartComponent = 'node-exporter' | 'kube-state-metrics' | 'alertmanager';

/** Where a subchart's pods and Service are, for one obs-stack component. */
export interface SubchartFacts extends ChartPodFacts {
  /** The chart whose release renders it (its subcharts share the release name). */
  readonly parent: ChartKey;
  /** The subchart's `.Chart.Name`, which its fullname, Service and pod labels use. */
  readonly subchart: string;
  /** Whether the component is on (the values turn the subchart on exactly then). */
  readonly enabled: (cfg: StackConfig) => boolean;
  /** Namespace of its pods and Service. */
  readonly namespace: (cfg: StackConfig) => string;
}

/**
 * The prometheus chart's subcharts (no nameOverride): pods labelled `app.kubernetes.io/name: <subchart>`
 * and `app.kubernetes.io/instance: <release>` (templates/_helpers.tpl `*.selectorLabels`), Service
 * `<release>-<subchart>` unless the release name contains the subchart's (`*.fullname`).
 * - prometheus-node-exporter 4.56.1: port `service.portName`, which the values set to the manifests'
 *   name; pods and Service in `namespaceOverride`, the agents namespace (templates/daemonset.yaml).
 * - kube-state-metrics 8.4.0: templates/deployment.yaml names the main port `http` and the telemetry port
 *   `metrics`, both fixed; the Service has `http` only while `selfMonitor` is off (templates/service.yaml).
 * - alertmanager 1.42.0: container port `containerPortName` (default `http`), which serves `/metrics` too;
 *   pods and Services in the release's namespace (`alertmanagerChartServices`).
 */
export const SUBCHART_PODS: Readonly<Record<SubchartComponent, SubchartFacts>> = {
  'node-exporter': {
    parent: 'prometheus', subchart: 'prometheus-node-exporter', appName: 'prometheus-node-exporter', metricsPortName: METRICS_PORT_NAME, metricsPath: '/metrics',
    enabled: (cfg) => cfg.nodeExporter.enabled, namespace: (cfg) => cfg.common.agentNamespace,
  },
  'kube-state-metrics': {
    parent: 'prometheus', subchart: 'kube-state-metrics', appName: 'kube-state-metrics', metricsPortName: 'http', metricsPath: '/metrics',
    enabled: (cfg) => cfg.kubeStateMetrics.enabled, namespace: (cfg) => cfg.common.namespace,
  },
  alertmanager: {
    parent: 'prometheus', subchart: 'alertmanager', appName: 'alertmanager', metricsPortName: 'http', metricsPath: '/metrics',
    enabled: alertmanagerDeployed, namespace: (cfg) => cfg.common.namespace,
  },
};

export const SUBCHART_COMPONENTS = Object.keys(SUBCHART_PODS) as SubchartComponent[];

/** A component the Helm path runs: a chart's own, or one of a chart's subcharts. */
export type HelmComponent = ChartKey | SubchartComponent;

export function isSubchartComponent(c: string): c is SubchartComponent {
  return Object.prototype.hasOwnProperty.call(SUBCHART_PODS, c);
}

/** The subchart components a config turns on (their parent chart is always installed). */
export function enabledSubcharts(cfg: StackConfig): SubchartComponent[] {
  return SUBCHART_COMPONENTS.filter((c) => SUBCHART_PODS[c].enabled(cfg));
}

/** The release that runs a component on the Helm path. */
export function releaseOf(component: HelmComponent, releases: HelmReleases): string {
  return releases[isSubchartComponent(component) ? SUBCHART_PODS[component].parent : component];
}

/** The pod facts of a component on the Helm path (chart or subchart). */
export function helmPodFacts(component: HelmComponent): ChartPodFacts {
  return isSubchartComponent(component) ? SUBCHART_PODS[component] : CHART_PODS[component];
}

/** The labels every pod of a component carries and its Service selects on (`app.kubernetes.io/name` and the release). */
export function helmPodLabels(component: ComponentName, releases: HelmReleases = DEFAULT_RELEASES): Record<string, string> {
  if (!isSubchartComponent(component) && !(CHART_KEYS as readonly string[]).includes(component)) throw new Error(`the Helm path installs no ${component}`);
  const c = component as HelmComponent;
  return { 'app.kubernetes.io/name': helmPodFacts(c).appName, 'app.kubernetes.io/instance': releaseOf(c, releases) };
}

/** The subcharts' Services for the components a config turns on. */
export function subchartServices(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): Partial<Record<SubchartComponent, ChartService>> {
  const parent = (c: SubchartComponent) => SUBCHART_PODS[c];
  const service = (c: SubchartComponent, ports: ChartServicePort[], source: string): ChartService => ({
    chart: parent(c).parent, name: chartFullname(parent(c).subchart, releaseOf(c, releases)), namespace: parent(c).namespace(cfg), ports, source,
  });
  // Built only for the subcharts that are on (the Alertmanager's Services need its config).
  const all: Record<SubchartComponent, () => ChartService> = {
    'node-exporter': () => service('node-exporter', [{ name: SUBCHART_PODS['node-exporter'].metricsPortName, port: cfg.nodeExporter.port }], 'charts/prometheus-node-exporter/templates/service.yaml (port: service.port, name: service.portName)'),
    'kube-state-metrics': () => service('kube-state-metrics', [{ name: SUBCHART_PODS['kube-state-metrics'].metricsPortName, port: cfg.kubeStateMetrics.port }], 'charts/kube-state-metrics/templates/service.yaml (port: service.port, name http)'),
    alertmanager: () => alertmanagerChartServices(cfg, releases)!.main,
  };
  return Object.fromEntries(enabledSubcharts(cfg).map((c) => [c, all[c]()]));
}

/**
 * Ports some charts hard-code in their templates (containerPort and/or Service targetPort as numbers): the
 * component must listen exactly there, whatever its `ports` say.
 */
export const FIXED_CHART_PORTS = {
  /** prometheus `templates/_helpers.tpl` `prometheus.port`: 9090 (no listen-address flag is passed). */
  prometheus: 9090,
  /** tempo `templates/_ports.tpl` targetPorts and `templates/statefulset.yaml` containerPorts. */
  tempo: { http: 3200, otlpGrpc: 4317, otlpHttp: 4318, jaegerGrpc: 14250, jaegerThriftHttp: 14268, zipkin: 9411 },
  /** prometheus `values.yaml` `server.service.servicePort`; grafana `values.yaml` `service.port`. */
  prometheusServicePort: 80,
  grafanaServicePort: 80,
  /** loki `templates/_service.tpl`: grpclb is always 9096. */
  lokiGrpclb: 9096,
  /**
   * loki `templates/_pod.tpl` (containerPort `http-memberlist`) and `templates/service-memberlist.yaml`
   * (port `tcp`): memberlist is always 7946, so `memberlist.bind_port` in the config must be 7946.
   */
  lokiMemberlist: 7946,
} as const;

/** The gateway release's Service ports: the chart's `http-metrics` (the listen port), then the OTLP ports. */
export function otlpGatewayChartPorts(cfg: StackConfig): ChartServicePort[] {
  const gw = buildEndpoints(cfg).otlpGateway;
  return [{ name: 'http-metrics', port: gw.metrics.port }, ...[gw.grpc, gw.http].map((e) => ({ name: e.portName, port: e.port }))];
}

/** One chart's Service as the chart creates it for a release. */
export interface ChartService {
  readonly chart: ChartKey;
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly ChartServicePort[];
  /** Template the name and ports come from (relative to the chart folder). */
  readonly source: string;
}

/**
 * The main Service of every chart for the given releases and config (ports that the charts take from
 * values follow each component's `ports`; ports the charts hard-code are fixed).
 */
export function chartServices(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): Readonly<Record<ChartKey, ChartService>> {
  const ns = cfg.common.namespace;
  const agents = cfg.common.agentNamespace;
  const prometheusRelease = releases.prometheus;
  return {
    prometheus: {
      chart: 'prometheus',
      // `prometheus.server.fullname`: `<release>-server` when the release name contains "prometheus",
      // else `<release>-prometheus-server`.
      name: dnsTrunc(prometheusRelease.includes(HELM_CHARTS.prometheus.chart)
        ? `${prometheusRelease}-server` : `${prometheusRelease}-${HELM_CHARTS.prometheus.chart}-server`),
      namespace: ns,
      ports: [{ name: 'http', port: FIXED_CHART_PORTS.prometheusServicePort, targetPort: FIXED_CHART_PORTS.prometheus }],
      source: 'templates/service.yaml, templates/_helpers.tpl (prometheus.server.fullname)',
    },
    cadvisor: {
      chart: 'cadvisor',
      // Named after `cadvisor.name` (the chart name), NOT the fullname: the release name does not appear.
      name: HELM_CHARTS.cadvisor.chart,
      namespace: agents,
      ports: [{ name: 'http', port: cfg.cadvisor.ports.http }],
      source: 'templates/service.yaml (name: cadvisor.name, port: container.port)',
    },
    // Monolithic: the single-binary Service; simple-scalable: the read Service (the query entry point; the
    // other targets' Services are in `lokiScalableServices`).
    loki: cfg.loki.mode === 'simple-scalable'
      ? lokiScalableServices(cfg, releases).read
      : {
        chart: 'loki',
        name: chartFullname(HELM_CHARTS.loki.chart, releases.loki),
        namespace: ns,
        ports: lokiTargetPorts(cfg),
        source: 'templates/monolithic/service.yaml, templates/_service.tpl (ports: loki.server.http_listen_port, grpc_listen_port)',
      },
    promtail: {
      chart: 'promtail',
      // Headless, and only created with `service.enabled` (off by default): our values turn it on.
      name: dnsTrunc(`${chartFullname(HELM_CHARTS.promtail.chart, releases.promtail)}-metrics`),
      namespace: agents,
      ports: [{ name: 'http-metrics', port: cfg.promtail.ports.http }],
      source: 'templates/service-metrics.yaml (port: config.serverPort)',
    },
    alloy: {
      chart: 'alloy',
      name: chartFullname(HELM_CHARTS.alloy.chart, releases.alloy),
      namespace: agents,
      ports: [{ name: 'http-metrics', port: cfg.alloy.ports.http }],
      source: 'templates/service.yaml (port: alloy.listenPort)',
    },
    tempo: {
      chart: 'tempo',
      name: chartFullname(HELM_CHARTS.tempo.chart, releases.tempo),
      namespace: ns,
      ports: tempoServicePorts(cfg),
      source: 'templates/service.yaml, templates/_ports.tpl',
    },
    'otlp-gateway': {
      chart: 'otlp-gateway',
      // `fullnameOverride` (otlp-gateway/helm-values.ts): the manifests' Service name, whatever the release.
      name: OTLP_GATEWAY_IDENTITY.name,
      namespace: ns,
      // The chart names its listen port http-metrics; the OTLP ports are `alloy.extraPorts` with the manifests' names.
      ports: otlpGatewayChartPorts(cfg),
      source: 'templates/service.yaml (http-metrics: alloy.listenPort; then alloy.extraPorts)',
    },
    grafana: {
      chart: 'grafana',
      name: chartFullname(HELM_CHARTS.grafana.chart, releases.grafana),
      namespace: ns,
      ports: [{ name: 'service', port: FIXED_CHART_PORTS.grafanaServicePort, targetPort: cfg.grafana.ports.http }],
      source: 'templates/service.yaml (port name: service.portName, port: service.port, targetPort: service.targetPort)',
    },
  };
}

/**
 * The tempo Service's ports that lead somewhere: metrics, plus the receivers the config enables.
 * templates/_ports.tpl adds an OTLP or Jaeger port only when its `tempo.receivers.*.endpoint` is set (the
 * values set exactly the enabled ones, values/tempo.ts); the port numbers come from those endpoints and the
 * targetPorts are fixed, hence FIXED_CHART_PORTS.tempo. The chart also always adds tempo-zipkin (9411) and
 * the legacy OTLP ports (55680, 55681): nothing listens behind them unless a receiver is enabled, so they
 * are listed only for an enabled Zipkin receiver (and never the legacy pair).
 */
function tempoServicePorts(cfg: StackConfig): ChartServicePort[] {
  const r = cfg.tempo.receivers;
  const f = FIXED_CHART_PORTS.tempo;
  return [
    { name: 'tempo-prom-metrics', port: f.http },
    ...(r.otlpGrpc ? [{ name: 'grpc-tempo-otlp', port: f.otlpGrpc }] : []),
    ...(r.otlpHttp ? [{ name: 'tempo-otlp-http', port: f.otlpHttp }] : []),
    ...(r.jaeger ? [{ name: 'grpc-tempo-jaeger', port: f.jaegerGrpc }, { name: 'tempo-jaeger-thrift-http', port: f.jaegerThriftHttp }] : []),
    ...(r.zipkin ? [{ name: 'tempo-zipkin', port: f.zipkin }] : []),
  ];
}

/** The ports of every Service `templates/_service.tpl` (`loki.service`) creates, plain and headless alike. */
function lokiTargetPorts(cfg: StackConfig): ChartServicePort[] {
  return [
    { name: 'http-metrics', port: cfg.loki.ports.http },
    { name: 'grpc', port: cfg.loki.ports.grpc },
    { name: 'grpclb', port: FIXED_CHART_PORTS.lokiGrpclb },
  ];
}

/** The Services of the loki chart in SimpleScalable mode. */
export interface LokiScalableServices {
  readonly write: ChartService;
  readonly read: ChartService;
  readonly backend: ChartService;
  readonly backendHeadless: ChartService;
  readonly memberlist: ChartService;
}

/**
 * The loki chart's SimpleScalable Services (templates/{write,read,backend}/service.yaml via
 * templates/_service.tpl `loki.service`): `loki.resourceName` = `<fullname>-<target>`, plus a
 * `<fullname>-<target>-headless` twin of each; every one carries http-metrics, grpc and grpclb. The
 * memberlist Service (templates/service-memberlist.yaml, `loki.memberlist`) is `<fullname>-memberlist`,
 * headless, port `tcp` 7946, selecting every pod labelled `app.kubernetes.io/part-of: memberlist` (all
 * three targets). The chart also runs `-memberlist.advertise-addr=$(POD_IP)` itself.
 */
export function lokiScalableServices(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): LokiScalableServices {
  const ns = cfg.common.namespace;
  const full = chartFullname(HELM_CHARTS.loki.chart, releases.loki);
  const target = (t: string, suffix = ''): ChartService => ({
    chart: 'loki',
    name: dnsTrunc(`${full}-${t}${suffix}`),
    namespace: ns,
    ports: lokiTargetPorts(cfg),
    source: `templates/${t}/service.yaml, templates/_service.tpl (loki.resourceName${suffix ? ', suffix headless' : ''})`,
  });
  return {
    write: target('write'),
    read: target('read'),
    backend: target('backend'),
    backendHeadless: target('backend', '-headless'),
    memberlist: {
      chart: 'loki',
      name: dnsTrunc(`${full}-memberlist`),
      namespace: ns,
      ports: [{ name: 'tcp', port: FIXED_CHART_PORTS.lokiMemberlist }],
      source: 'templates/service-memberlist.yaml, templates/_helpers.tpl (loki.memberlist)',
    },
  };
}

/** Every Service the installed charts create that obs-stack's configs point at (main Services, Loki's targets, the subcharts'). */
export function allChartServices(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): ChartService[] {
  const am = alertmanagerChartServices(cfg, releases);
  return [
    ...Object.values(chartServices(cfg, releases)),
    ...(cfg.loki.mode === 'simple-scalable' ? Object.values(lokiScalableServices(cfg, releases)) : []),
    ...Object.values(subchartServices(cfg, releases)),
    // The subchart's second Service (its main one is among the subcharts').
    ...(am ? [am.headless] : []),
  ];
}

/** The alertmanager subchart's listen port: templates/statefulset.yaml hard-codes `containerPort: 9093`. */
export const ALERTMANAGER_SUBCHART_PORT = 9093;

/**
 * The alertmanager subchart's Services (templates/services.yaml): `<fullname>` (port `http`) and the
 * headless `<fullname>-headless` (`http`, and `cluster-tcp`/`cluster-udp` with more than one replica),
 * where `alertmanager.fullname` is `<release>-alertmanager` unless the release name contains it. The
 * StatefulSet is `<fullname>`, so its pods are `<fullname>-<i>`. Undefined when no Alertmanager runs.
 */
export function alertmanagerChartServices(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): { main: ChartService; headless: ChartService } | undefined {
  if (!alertmanagerDeployed(cfg)) return undefined;
  const full = chartFullname(SUBCHART_PODS.alertmanager.subchart, releaseOf('alertmanager', releases));
  const ns = cfg.common.namespace;
  const http = { name: 'http', port: cfg.alertmanager.ports.http };
  const source = 'charts/alertmanager/templates/services.yaml, templates/_helpers.tpl (alertmanager.fullname)';
  return {
    main: { chart: 'prometheus', name: full, namespace: ns, ports: [http], source },
    headless: {
      chart: 'prometheus', name: `${full}-headless`, namespace: ns, source,
      ports: [http, ...(cfg.alertmanager.replicas > 1 ? [{ name: 'cluster-tcp', port: cfg.alertmanager.ports.cluster }] : [])],
    },
  };
}

/** The Alertmanager's endpoints on the subchart's Services. */
function helmAlertmanagerEndpoints(cfg: StackConfig, base: Endpoints, releases: HelmReleases): Endpoints['alertmanager'] {
  const s = alertmanagerChartServices(cfg, releases);
  if (s === undefined) return base.alertmanager;
  const b = base.alertmanager;
  return {
    http: onService(b.http, s.main, 'http'),
    peers: onService(b.peers, s.headless, 'http'),
    ...(b.cluster ? { cluster: onService(b.cluster, s.headless, 'cluster-tcp') } : {}),
  };
}

function servicePort(s: ChartService, name: string): ChartServicePort {
  const port = s.ports.find((x) => x.name === name);
  if (!port) throw new Error(`chart ${s.chart}: Service ${s.name} has no port ${name}`);
  return port;
}

/** `base` moved to a chart's Service (same component and protocol; host, address and URL recomputed). */
function onService(base: Endpoint, s: ChartService, portName: string): Endpoint {
  const { port } = servicePort(s, portName);
  const host = `${s.name}.${s.namespace}.svc`;
  return { ...base, service: s.name, namespace: s.namespace, portName, port, host, address: `${host}:${port}`, url: `http://${host}:${port}` };
}

/**
 * The endpoints of a Helm installation. Demo services and their Kafka are not charts (they always come
 * from the manifests), so theirs are unchanged. `tempo.grpc` (Tempo's internal gRPC server) is not on the chart's
 * Service: it keeps the manifests' port on the tempo Service name and is reachable pod-to-pod only.
 */
export function helmEndpoints(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): Endpoints {
  const base = buildEndpoints(cfg);
  const s = chartServices(cfg, releases);
  const tempoGrpcHost = `${s.tempo.name}.${s.tempo.namespace}.svc`;
  // A receiver the config leaves off has no Service port; like the manifests' registry (which lists every
  // receiver), its endpoint stays defined, on the tempo Service name with its fixed port, and nothing uses it.
  const tempoReceiver = (base: Endpoint, portName: string): Endpoint => (s.tempo.ports.some((p) => p.name === portName)
    ? onService(base, s.tempo, portName)
    : { ...base, service: s.tempo.name, namespace: s.tempo.namespace, host: tempoGrpcHost, address: `${tempoGrpcHost}:${base.port}`, url: `http://${tempoGrpcHost}:${base.port}` });
  return {
    prometheus: { http: onService(base.prometheus.http, s.prometheus, 'http') },
    cadvisor: { http: onService(base.cadvisor.http, s.cadvisor, 'http') },
    loki: helmLokiEndpoints(cfg, base, releases),
    promtail: { http: onService(base.promtail.http, s.promtail, 'http-metrics') },
    alloy: { http: onService(base.alloy.http, s.alloy, 'http-metrics') },
    tempo: {
      http: onService(base.tempo.http, s.tempo, 'tempo-prom-metrics'),
      grpc: { ...base.tempo.grpc, service: s.tempo.name, host: tempoGrpcHost, address: `${tempoGrpcHost}:${base.tempo.grpc.port}`, url: `http://${tempoGrpcHost}:${base.tempo.grpc.port}` },
      otlpGrpc: tempoReceiver(base.tempo.otlpGrpc, 'grpc-tempo-otlp'),
      otlpHttp: tempoReceiver(base.tempo.otlpHttp, 'tempo-otlp-http'),
      jaegerGrpc: tempoReceiver(base.tempo.jaegerGrpc, 'grpc-tempo-jaeger'),
      jaegerThriftHttp: tempoReceiver(base.tempo.jaegerThriftHttp, 'tempo-jaeger-thrift-http'),
      zipkin: tempoReceiver(base.tempo.zipkin, 'tempo-zipkin'),
    },
    grafana: { http: onService(base.grafana.http, s.grafana, 'service') },
    demoFrontend: base.demoFrontend,
    demoBackend: base.demoBackend,
    demoWorker: base.demoWorker,
    // Kafka is part of the example system, which only the manifests deploy.
    kafka: base.kafka,
    alertmanager: helmAlertmanagerEndpoints(cfg, base, releases),
    otlpGateway: {
      grpc: onService(base.otlpGateway.grpc, s['otlp-gateway'], base.otlpGateway.grpc.portName),
      http: onService(base.otlpGateway.http, s['otlp-gateway'], base.otlpGateway.http.portName),
      metrics: onService(base.otlpGateway.metrics, s['otlp-gateway'], 'http-metrics'),
    },
  };
}

/**
 * Cluster monitoring's endpoints in a Helm installation: node-exporter and kube-state-metrics on the
 * subcharts' Services (a component that is off keeps the manifests' endpoint, which nothing uses); the
 * kubelet, the API server and CoreDNS are the cluster's, the same on both paths. kube-state-metrics'
 * telemetry port is not on the subchart's Service (`selfMonitor` off): it keeps its port on that Service's
 * name and is reachable pod-to-pod only.
 */
export function helmClusterMonitoringEndpoints(cfg: StackConfig, releases: HelmReleases = DEFAULT_RELEASES): ClusterMonitoringEndpoints {
  const base = clusterMonitoringEndpoints(cfg);
  const s = subchartServices(cfg, releases);
  const ne = s['node-exporter'];
  const ksm = s['kube-state-metrics'];
  const ksmPodOnly = (e: Endpoint, svc: ChartService): Endpoint => {
    const host = `${svc.name}.${svc.namespace}.svc`;
    return { ...e, service: svc.name, host, address: `${host}:${e.port}`, url: `http://${host}:${e.port}` };
  };
  return {
    ...base,
    nodeExporter: ne ? { http: onService(base.nodeExporter.http, ne, ne.ports[0].name) } : base.nodeExporter,
    kubeStateMetrics: ksm
      ? { http: onService(base.kubeStateMetrics.http, ksm, ksm.ports[0].name), telemetry: ksmPodOnly(base.kubeStateMetrics.telemetry, ksm) }
      : base.kubeStateMetrics,
  };
}

/** Loki's endpoints on the chart's Services: the single-binary one, or the SimpleScalable targets'. */
function helmLokiEndpoints(cfg: StackConfig, base: Endpoints, releases: HelmReleases): Endpoints['loki'] {
  const main = chartServices(cfg, releases).loki;
  const http = onService(base.loki.http, main, 'http-metrics');
  const grpc = onService(base.loki.grpc, main, 'grpc');
  const b = base.loki.scalable;
  if (b === undefined) return { http, grpc };
  const s = lokiScalableServices(cfg, releases);
  return {
    http,
    grpc,
    scalable: {
      push: onService(b.push, s.write, 'http-metrics'),
      query: http,
      writeGrpc: onService(b.writeGrpc, s.write, 'grpc'),
      backendHttp: onService(b.backendHttp, s.backend, 'http-metrics'),
      backendGrpc: onService(b.backendGrpc, s.backend, 'grpc'),
      backendHeadlessGrpc: onService(b.backendHeadlessGrpc, s.backendHeadless, 'grpc'),
      memberlist: onService(b.memberlist, s.memberlist, 'tcp'),
    },
  };
}

/**
 * A manifests-path scrape target moved to the chart's pods: same job and namespace, the chart's (or
 * subchart's) `app.kubernetes.io/name` and metrics port name. Jobs named after a component the charts run
 * are mapped; others (the demo services, which the manifests deploy either way) are kept.
 */
export function helmScrapeTarget(t: ComponentScrapeTarget): ComponentScrapeTarget {
  if (!isSubchartComponent(t.job) && !(CHART_KEYS as readonly string[]).includes(t.job)) return t;
  const pod = helmPodFacts(t.job as HelmComponent);
  return { ...t, appName: pod.appName, portName: pod.metricsPortName, metricsPath: pod.metricsPath };
}

/**
 * Config the charts cannot follow because they hard-code a port (or cannot run more than one Tempo): one
 * issue each, with its config path. Empty when the Helm path renders the same stack as the manifests.
 */
export function helmPortProblems(cfg: StackConfig): ConfigIssue[] {
  const problems: ConfigIssue[] = [];
  if (cfg.tempo.enabled) {
    for (const [k, fixed] of Object.entries(FIXED_CHART_PORTS.tempo)) {
      const actual = cfg.tempo.ports[k as keyof typeof FIXED_CHART_PORTS.tempo];
      if (actual !== fixed) {
        problems.push({ path: `tempo.ports.${k}`, value: actual, message: `is hard-coded to ${fixed} by the tempo chart ${HELM_CHARTS.tempo.version}`, fix: `set it to ${fixed} or use the manifests path` });
      }
    }
  }
  if (cfg.loki.enabled && cfg.loki.mode === 'simple-scalable' && cfg.loki.ports.memberlist !== FIXED_CHART_PORTS.lokiMemberlist) {
    problems.push({
      path: 'loki.ports.memberlist', value: cfg.loki.ports.memberlist, message: `is hard-coded to ${FIXED_CHART_PORTS.lokiMemberlist} by the loki chart ${HELM_CHARTS.loki.version}`,
      fix: `set it to ${FIXED_CHART_PORTS.lokiMemberlist} or use the manifests path`,
    });
  }
  // The tempo chart runs one StatefulSet but creates neither the headless Service its `serviceName`
  // names nor a memberlist port, so replicas could never find each other (see values/tempo.ts).
  if (cfg.tempo.enabled && cfg.tempo.replicas > 1) {
    problems.push({
      path: 'tempo.replicas', value: cfg.tempo.replicas,
      message: `cannot be expressed by the tempo chart ${HELM_CHARTS.tempo.version} (no headless or memberlist Service for the scalable single binary)`,
      fix: 'set tempo.replicas to 1, or set helm.enabled: false for a manifests-only environment (the manifests run it), or install the tempo-distributed chart (not generated)',
    });
  }
  if (alertmanagerDeployed(cfg) && cfg.alertmanager.ports.http !== ALERTMANAGER_SUBCHART_PORT) {
    problems.push({
      path: 'alertmanager.ports.http', value: cfg.alertmanager.ports.http,
      message: `is hard-coded to ${ALERTMANAGER_SUBCHART_PORT} by the alertmanager subchart of the prometheus chart ${HELM_CHARTS.prometheus.version}`,
      fix: `set it to ${ALERTMANAGER_SUBCHART_PORT}, or set helm.enabled: false for a manifests-only environment`,
    });
  }
  if (cfg.prometheus.ports.http !== FIXED_CHART_PORTS.prometheus) {
    problems.push({
      path: 'prometheus.ports.http', value: cfg.prometheus.ports.http, message: `is hard-coded to ${FIXED_CHART_PORTS.prometheus} by the prometheus chart ${HELM_CHARTS.prometheus.version}`,
      fix: `set it to ${FIXED_CHART_PORTS.prometheus}, or set helm.enabled: false for a manifests-only environment`,
    });
  }
  return problems;
}
