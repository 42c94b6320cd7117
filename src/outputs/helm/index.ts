/**
 * The Helm path of one environment: `values-<chart>.yaml` per chart, `helmfile.yaml`, and a README with
 * `helmfile apply` and the equivalent plain `helm` lines. The values come from the same renderers as the
 * manifests, fed with the endpoints of the Helm installation (`helmEndpoints`).
 */
import type { StackConfig } from '../../config/types';
import { StackConfigError } from '../../config/errors';
import type { Endpoints } from '../../components/registry';
import { toYaml } from '../../lib/yaml';
import { GRAFANA_IDENTITY, PORT_FORWARD_LOCAL_PORT, adminSecretCommand } from '../../components/grafana/grafana';
import type { StackBuild } from '../../stack';
import { CHART_KEYS, HELM_CHARTS, type ChartKey } from './charts';
import { type HelmRelease, helmCommands, renderHelmfile, valuesFileName } from './helmfile';
import {
  type ChartService, DEFAULT_RELEASES, type HelmReleases, SUBCHART_PODS, alertmanagerChartServices, chartServices, enabledSubcharts, helmEndpoints, helmPortProblems,
  subchartServices,
} from './services';
import { alloyValues } from '../../components/alloy/helm-values';
import { cadvisorValues } from '../../components/cadvisor/helm-values';
import { grafanaValues } from '../../components/grafana/helm-values';
import { LOKI_GOGC_ENV, lokiValues } from '../../components/loki/helm-values';
import { prometheusValues } from '../../components/prometheus/helm-values';
import { promtailValues } from '../../components/promtail/helm-values';
import { tempoValues } from '../../components/tempo/helm-values';
import { dashboardsFor, ruleFilesFor } from '../../components/content';
import { withExtraDashboards } from '../../components/grafana/extra-dashboards';
import { prometheusScrapeOf, stackJobs } from '../../components/prometheus/jobs';
import { WireLog } from '../../lib/wiring';
import { ALLOY_IDENTITY } from '../../components/alloy/alloy';
import { LOKI_IDENTITY } from '../../components/loki/loki';
import { PROMETHEUS_IDENTITY } from '../../components/prometheus/prometheus';
import { PROMTAIL_IDENTITY } from '../../components/promtail/promtail';
import { TEMPO_IDENTITY } from '../../components/tempo/tempo';
import { NODE_EXPORTER_IDENTITY } from '../../components/node-exporter/node-exporter';
import { KUBE_STATE_METRICS_IDENTITY } from '../../components/kube-state-metrics/kube-state-metrics';
import { ALERTMANAGER_IDENTITY } from '../../components/alertmanager/alertmanager';
import { alertmanagerDeployed } from '../../components/alertmanager';
import { otlpGatewayDeployed } from '../../components/otlp-gateway';
import { OTLP_GATEWAY_IDENTITY } from '../../components/otlp-gateway/gateway';
import { otlpGatewayValues } from '../../components/otlp-gateway/helm-values';
import { manifestsPod } from './manifests-pods';
import { HELM_EXTRA_DIR, renderHelmExtra } from './extra';
import { differencesSection } from './differences';

/** Everything a values builder may use. */
export interface ValuesContext {
  readonly build: StackBuild;
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation. */
  readonly endpoints: Endpoints;
  readonly releases: HelmReleases;
  /** The Helm installation's connections, recorded where a values builder uses another release's address. */
  readonly wires: WireLog;
}

type ValuesBuilder = (ctx: ValuesContext) => object;

/** Values builder per chart (each next to its typed interface in `src/components/<component>/helm-values.ts`). */
export const BUILDERS: Readonly<Record<ChartKey, ValuesBuilder>> = {
  prometheus: ({ build, cfg, endpoints, releases }) => prometheusValues({
    cfg, endpoints, releases, scrape: prometheusScrapeOf(build.scrapeTargets), ruleFiles: ruleFilesFor(cfg, stackJobs(build.scrapeTargets)),
    pod: manifestsPod(build, 'StatefulSet', PROMETHEUS_IDENTITY.name),
    clusterPods: {
      ...(cfg.nodeExporter.enabled ? { nodeExporter: manifestsPod(build, 'DaemonSet', NODE_EXPORTER_IDENTITY.name) } : {}),
      ...(cfg.kubeStateMetrics.enabled ? { kubeStateMetrics: manifestsPod(build, 'Deployment', KUBE_STATE_METRICS_IDENTITY.name) } : {}),
    },
    alertmanagerPod: alertmanagerDeployed(cfg) ? manifestsPod(build, 'StatefulSet', ALERTMANAGER_IDENTITY.name) : undefined,
  }),
  cadvisor: ({ cfg, endpoints }) => cadvisorValues({ cfg, endpoints }),
  loki: ({ build, cfg, endpoints, releases }) => lokiValues({
    cfg, endpoints, release: releases.loki,
    pods: (name) => manifestsPod(build, cfg.loki.mode === 'simple-scalable' && name === `${LOKI_IDENTITY.name}-read` ? 'Deployment' : 'StatefulSet', name),
  }),
  promtail: ({ build, cfg, endpoints, wires }) => promtailValues({ cfg, endpoints, wires, pod: manifestsPod(build, 'DaemonSet', PROMTAIL_IDENTITY.name) }),
  alloy: ({ build, cfg, endpoints, wires }) => alloyValues({ cfg, endpoints, wires, pod: manifestsPod(build, 'DaemonSet', ALLOY_IDENTITY.name) }),
  tempo: ({ build, cfg, endpoints, wires }) => tempoValues({ cfg, endpoints, wires, pod: manifestsPod(build, 'StatefulSet', TEMPO_IDENTITY.name) }),
  'otlp-gateway': ({ build, cfg, endpoints, wires, releases }) => otlpGatewayValues({
    cfg, endpoints, wires, releases, pod: manifestsPod(build, 'Deployment', OTLP_GATEWAY_IDENTITY.name),
  }),
  grafana: ({ build, cfg, endpoints }) => grafanaValues({
    cfg, endpoints,
    dashboards: helmDashboards(build),
    pod: manifestsPod(build, 'Deployment', GRAFANA_IDENTITY.name),
  }),
};

/** The same dashboards as the manifests (the same scraped jobs feed the stack-health dashboard), the user's included. */
export function helmDashboards(build: StackBuild): Record<string, string> {
  return withExtraDashboards(build.env, dashboardsFor(build.env.config, stackJobs(build.scrapeTargets)));
}

/** The charts an environment installs, in install order (storage before its writers, Grafana last). */
export function enabledCharts(cfg: StackConfig): ChartKey[] {
  const on: Record<ChartKey, boolean> = {
    prometheus: true,
    cadvisor: cfg.cadvisor.enabled,
    loki: cfg.loki.enabled,
    promtail: cfg.loki.enabled && cfg.logAgent === 'promtail',
    alloy: cfg.loki.enabled && cfg.logAgent === 'alloy',
    tempo: cfg.tempo.enabled,
    'otlp-gateway': otlpGatewayDeployed(cfg),
    grafana: cfg.grafana.enabled,
  };
  return CHART_KEYS.filter((k) => on[k]);
}

export interface HelmOutput {
  /** Path relative to `dist/<env>/helm/` → content. */
  readonly files: Map<string, string>;
  readonly releases: readonly HelmRelease[];
  /** Values object per release name (the same objects as the files; ArgoCD inlines them). */
  readonly values: ReadonlyMap<string, object>;
  /** Whether `helm/extra/` has objects to apply with the releases. */
  readonly extra: boolean;
  /** The connections between the releases (from `ValuesContext.wires`). */
  readonly wires: WireLog;
}

export function renderHelm(build: StackBuild, releaseNames: HelmReleases = DEFAULT_RELEASES): HelmOutput {
  const cfg = build.env.config;
  const problems = helmPortProblems(cfg);
  // Refused like any other config error, before a file is written.
  if (problems.length > 0) throw new StackConfigError(build.env.name, problems);
  const ctx: ValuesContext = { build, cfg, endpoints: helmEndpoints(cfg, releaseNames), releases: releaseNames, wires: new WireLog() };
  const services = chartServices(cfg, releaseNames);
  const files = new Map<string, string>();
  const values = new Map<string, object>();
  const releases: HelmRelease[] = [];
  for (const key of enabledCharts(cfg)) {
    const builder = BUILDERS[key];
    const chart = HELM_CHARTS[key];
    const release: HelmRelease = { release: releaseNames[key], chart, namespace: services[key].namespace, valuesFile: valuesFileName(chart) };
    const v = builder(ctx);
    releases.push(release);
    values.set(release.release, v);
    files.set(release.valuesFile, `# ${chart.repository.name}/${chart.chart} ${chart.version}, generated by obs-stack from environment ${build.env.name}; do not edit.\n${toYaml(v)}`);
  }
  const extra = renderHelmExtra(build, releaseNames, enabledCharts(cfg), helmDashboards(build));
  for (const [name, content] of extra) files.set(`${HELM_EXTRA_DIR}/${name}`, content);
  files.set('helmfile.yaml', renderHelmfile(releases));
  files.set('README.md', helmReadme(build, releases, releaseNames, extra.size > 0));
  return { files, releases, values, extra: extra.size > 0, wires: ctx.wires };
}

function helmReadme(build: StackBuild, releases: readonly HelmRelease[], releaseNames: HelmReleases, extra: boolean): string {
  const env = build.env.name;
  const cfg = build.env.config;
  const services = chartServices(cfg, releaseNames);
  const lines = [
    `# ${env}: Helm path`,
    '',
    'The same stack as `../manifests/`, as values for the upstream charts. Use one path or the other in a cluster, not both.',
    '',
    '## Install',
    '',
    'The namespaces (with their Pod Security labels) come from the manifests; apply them first. Neither helmfile nor',
    'the charts create them (`createNamespace: false`).',
    ...(extra ? [
      `Then the objects of \`${HELM_EXTRA_DIR}/\`, which the charts do not create (see below), then the releases:`,
    ] : []),
    '',
    '```sh',
    `kubectl apply --server-side -f dist/${env}/manifests/00-namespaces.yaml`,
    ...(extra ? [`kubectl apply --server-side -f dist/${env}/helm/${HELM_EXTRA_DIR}/`] : []),
    `cd dist/${env}/helm && helmfile apply`,
    '```',
    '',
    'or with plain Helm, from this folder:',
    '',
    '```sh',
    ...helmCommands(releases),
    '```',
    '',
    `ArgoCD: apply \`dist/argocd/helm/${env}/\` (one Application per chart, values inline, one for the namespaces${extra ? ` and one for \`${HELM_EXTRA_DIR}/\`` : ''});`,
    'the root app-of-apps (`dist/argocd/root.yaml`) deploys the manifests path and does not include these.',
    '',
    '## Releases',
    '',
    '| release | chart | version | namespace | Service |',
    '|---|---|---|---|---|',
    ...releases.map((r) => {
      const s = services[r.chart.key];
      return `| ${r.release} | ${r.chart.repository.name}/${r.chart.chart} | ${r.chart.version} | ${r.namespace} | ${s.name}:${s.ports.map((p) => p.port).join(',')} |`;
    }),
    '',
    ...subchartLines(cfg, releases, releaseNames),
    ...releases.filter((r) => r.chart.deprecated).flatMap((r) => [`Note: ${r.chart.deprecated}.`, '']),
    ...(cfg.loki.enabled && cfg.loki.mode === 'simple-scalable' ? [
      'Loki runs SimpleScalable: log agents push to the write Service, Grafana queries the read Service (no gateway).',
      '',
    ] : []),
    ...(cfg.tempo.enabled ? [
      `Tempo: the tempo chart ${HELM_CHARTS.tempo.version} runs one replica (it has no memberlist Service and creates no headless Service;`,
      `the one its StatefulSet names comes from \`${HELM_EXTRA_DIR}/tempo.yaml\`), so \`tempo.replicas\` above 1 is refused on this path;`,
      'more Tempo needs the tempo-distributed chart, which obs-stack does not render.',
      '',
    ] : []),
    ...alertingAndOtlpNotes(cfg, releaseNames),
    ...openingUis(releases, services, alertmanagerChartServices(cfg, releaseNames)?.main),
    ...extraSection(build, extra),
    ...differencesSection(env),
    ...goRuntimeNote(releases),
    ...grafanaAdminNote(build, releases),
  ];
  return `${lines.join('\n')}\n`;
}

/** The components a release runs through its subcharts, with their Services (they are not releases of their own). */
function subchartLines(cfg: StackConfig, releases: readonly HelmRelease[], releaseNames: HelmReleases): string[] {
  const services = subchartServices(cfg, releaseNames);
  const lines = enabledSubcharts(cfg).flatMap((c) => {
    const parent = releases.find((r) => r.chart.key === SUBCHART_PODS[c].parent);
    const s = services[c];
    if (parent === undefined || s === undefined) return [];
    return [`- ${c}: the ${parent.release} release's \`${SUBCHART_PODS[c].subchart}\` subchart, namespace ${s.namespace}, Service ${s.name}:${s.ports.map((p) => p.port).join(',')}`];
  });
  return lines.length > 0 ? ['These components run inside a release, as its subcharts (no release of their own):', '', ...lines, ''] : [];
}

/** Port-forward lines for the UIs, on the charts' Service names and ports (local port: the component's own). */
function openingUis(releases: readonly HelmRelease[], services: ReturnType<typeof chartServices>, alertmanager?: ChartService): string[] {
  const installed = new Set(releases.map((r) => r.chart.key));
  const line = (key: ChartKey, local: number, path: string, what: string): string => {
    const s = services[key];
    return `kubectl -n ${s.namespace} port-forward svc/${s.name} ${local}:${s.ports[0].port}   # ${what}: http://localhost:${local}${path}`;
  };
  const ui = [
    ...(installed.has('grafana') ? [line('grafana', PORT_FORWARD_LOCAL_PORT, '/', 'Grafana')] : []),
    line('prometheus', services.prometheus.ports[0].targetPort ?? services.prometheus.ports[0].port, '/targets', 'Prometheus'),
    ...(installed.has('alloy') ? [line('alloy', services.alloy.ports[0].port, '/', 'Alloy')] : []),
    ...(installed.has('promtail') ? [line('promtail', services.promtail.ports[0].port, '/targets', 'Promtail')] : []),
    ...(installed.has('cadvisor') ? [line('cadvisor', services.cadvisor.ports[0].port, '/containers/', 'cAdvisor')] : []),
    // The prometheus release's Alertmanager subchart.
    ...(alertmanager ? [`kubectl -n ${alertmanager.namespace} port-forward svc/${alertmanager.name} ${alertmanager.ports[0].port}:${alertmanager.ports[0].port}   # Alertmanager: http://localhost:${alertmanager.ports[0].port}/`] : []),
  ];
  return [
    '## Opening the UIs',
    '',
    'Each in its own terminal (the chart Services listen on the ports in the table above; Grafana and Prometheus on 80):',
    '',
    '```sh',
    ...ui,
    '```',
    '',
    ...(installed.has('loki') || installed.has('tempo') ? ['Loki and Tempo have no UI of their own: Grafana\'s Explore and the obs-stack dashboards query them.', ''] : []),
  ];
}

/** Where the Alertmanager runs on this path, and the one OTLP endpoint applications send to. */
function alertingAndOtlpNotes(cfg: StackConfig, releaseNames: HelmReleases): string[] {
  const am = alertmanagerChartServices(cfg, releaseNames);
  const gw = otlpGatewayDeployed(cfg) ? helmEndpoints(cfg, releaseNames).otlpGateway : undefined;
  return [
    ...(am ? [
      `Alertmanager: the ${releaseNames.prometheus} release's \`alertmanager\` subchart (Service ${am.main.name}, pods ${am.main.name}-<i>), with the`,
      'manifests\' routing, receivers, inhibition and templates; the receivers\' Secrets are those of `../README.md`.',
      '',
    ] : []),
    ...(gw ? [
      `OTLP: the ${releaseNames['otlp-gateway']} release (the alloy chart as a Deployment) is the one endpoint for traces, metrics and logs:`,
      `\`OTEL_EXPORTER_OTLP_ENDPOINT=${gw.http.url}\` (OTLP/HTTP), or \`${gw.grpc.url}\` with \`OTEL_EXPORTER_OTLP_PROTOCOL=grpc\`.`,
      '',
    ] : []),
  ];
}

/** What `helm/extra/` holds and why. */
function extraSection(build: StackBuild, extra: boolean): string[] {
  if (!extra) return [];
  const cfg = build.env.config;
  return [
    `## \`${HELM_EXTRA_DIR}/\`: objects the charts do not create`,
    '',
    ...(cfg.networkPolicy.enabled ? ['- `network-policies.yaml`: the NetworkPolicies of the manifests, generated from the same wires, selecting the charts\' and subcharts\' pods (`app.kubernetes.io/name` and the release as `app.kubernetes.io/instance`) on the ports the pods listen on.'] : []),
    ...(cfg.tempo.enabled ? ['- `tempo.yaml`: the headless Service the tempo chart\'s StatefulSet names as its `serviceName` but never creates.'] : []),
    ...(cfg.grafana.enabled ? ['- `grafana.yaml`: the dashboards in one ConfigMap, which the grafana release mounts (`dashboardsConfigMaps`) instead of downloading them in an init container.'] : []),
    '',
  ];
}

/**
 * The loki chart would add `GOGC=80`; its values name Go's default instead, which the section says so a
 * reader of the values knows why `GOGC` is there. Other Go runtime differences are measured (above).
 */
function goRuntimeNote(releases: readonly HelmRelease[]): string[] {
  if (!releases.some((r) => r.chart.key === 'loki')) return [];
  return [
    '## Go runtime settings',
    '',
    `The loki chart adds \`GOGC=80\` to Loki's containers unless their env names \`GOGC\`; the loki values name \`${LOKI_GOGC_ENV.name}=${LOKI_GOGC_ENV.value}\``,
    '(Go\'s default, which the manifests leave in place) in every Loki target\'s `extraEnv`, so the chart adds none.',
    '',
  ];
}

/**
 * The grafana chart needs an admin Secret on every profile (without one it would render a random
 * password into a Secret of its own); say which one, and how to create it.
 */
function grafanaAdminNote(build: StackBuild, releases: readonly HelmRelease[]): string[] {
  const g = releases.find((r) => r.chart.key === 'grafana');
  if (!g) return [];
  const cfg = build.env.config.grafana;
  return [
    '## Grafana admin Secret',
    '',
    `The grafana release reads its admin user and password from a Secret you create before installing${cfg.adminSecret.name === '' ? ' (this environment names none, so the Helm path uses the default name; the manifests path would fall back to Grafana\'s first-login admin, which the chart cannot do without generating a random password itself)' : ''}:`,
    '',
    '```sh',
    adminSecretCommand(cfg, g.namespace),
    '```',
    '',
  ];
}
