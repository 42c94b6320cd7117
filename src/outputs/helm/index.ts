/**
 * The Helm path of one environment: `values-<chart>.yaml` per chart, `helmfile.yaml`, and a README with
 * `helmfile apply` and the equivalent plain `helm` lines. The values come from the same renderers as the
 * manifests, fed with the endpoints of the Helm installation (`helmEndpoints`).
 */
import type { ResourceSpec, StackConfig } from '../../config/types';
import type { Endpoints } from '../../lib/endpoints';
import { goMemLimitEnv } from '../../lib/kube';
import { toYaml } from '../../lib/yaml';
import { adminSecretCommand } from '../../components/grafana/grafana';
import type { StackBuild } from '../../stack';
import { CHART_KEYS, HELM_CHARTS, type ChartKey } from './charts';
import { type HelmRelease, helmCommands, renderHelmfile, valuesFileName } from './helmfile';
import { DEFAULT_RELEASES, type HelmReleases, chartServices, helmEndpoints, helmPortProblems } from './services';
import { alloyValues } from './values/alloy';
import { cadvisorValues } from './values/cadvisor';
import { grafanaValues } from './values/grafana';
import { LOKI_GOGC_ENV, lokiValues } from './values/loki';
import { prometheusValues } from './values/prometheus';
import { promtailValues } from './values/promtail';
import { tempoValues } from './values/tempo';
import { dashboardsFor } from '../../components/dashboards';
import { ruleFilesFor } from '../../components/alerts';
import { prometheusScrapeOf, stackJobs } from '../../components/prometheus/jobs';
import { WireLog } from '../../lib/wiring';
import { otlpGatewayHelmNote } from '../../components/otlp-gateway/readme';
import { withoutGatewayTargets } from '../../components/otlp-gateway';

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

/** Values builder per chart (each next to its typed interface in `values/<chart>.ts`). */
export const BUILDERS: Readonly<Record<ChartKey, ValuesBuilder>> = {
  // The OTLP gateway is not on this path (#19): no scrape job (values/prometheus.ts), no "down" alert for it.
  prometheus: ({ build, cfg, endpoints }) => prometheusValues({
    cfg, endpoints, scrape: prometheusScrapeOf(build.scrapeTargets), ruleFiles: ruleFilesFor(cfg, stackJobs(withoutGatewayTargets(build.scrapeTargets))),
  }),
  cadvisor: ({ cfg, endpoints }) => cadvisorValues({ cfg, endpoints }),
  loki: ({ cfg, endpoints, releases }) => lokiValues({ cfg, endpoints, release: releases.loki }),
  promtail: ({ cfg, endpoints, wires }) => promtailValues({ cfg, endpoints, wires }),
  alloy: ({ cfg, endpoints, wires }) => alloyValues({ cfg, endpoints, wires }),
  tempo: ({ cfg, endpoints, wires }) => tempoValues({ cfg, endpoints, wires }),
  grafana: ({ build, cfg, endpoints }) => grafanaValues({
    cfg, endpoints,
    // The same dashboards as the manifests (the same scraped jobs feed the stack-health dashboard).
    dashboards: dashboardsFor(cfg, stackJobs(build.scrapeTargets)),
  }),
};

/** The charts an environment installs, in install order (storage before its writers, Grafana last). */
export function enabledCharts(cfg: StackConfig): ChartKey[] {
  const on: Record<ChartKey, boolean> = {
    prometheus: true,
    cadvisor: cfg.cadvisor.enabled,
    loki: cfg.loki.enabled,
    promtail: cfg.loki.enabled && cfg.logAgent === 'promtail',
    alloy: cfg.loki.enabled && cfg.logAgent === 'alloy',
    tempo: cfg.tempo.enabled,
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
  /** The connections between the releases (from `ValuesContext.wires`). */
  readonly wires: WireLog;
}

export function renderHelm(build: StackBuild, releaseNames: HelmReleases = DEFAULT_RELEASES): HelmOutput {
  const cfg = build.env.config;
  const problems = helmPortProblems(cfg);
  if (problems.length > 0) throw new Error(`environment ${build.env.name}: the Helm path cannot follow this config:\n${problems.join('\n')}`);
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
  files.set('helmfile.yaml', renderHelmfile(releases));
  files.set('README.md', helmReadme(build, releases, releaseNames));
  return { files, releases, values, wires: ctx.wires };
}

function helmReadme(build: StackBuild, releases: readonly HelmRelease[], releaseNames: HelmReleases): string {
  const env = build.env.name;
  const services = chartServices(build.env.config, releaseNames);
  const lines = [
    `# ${env}: Helm path`,
    '',
    'The same stack as `../manifests/`, as values for the upstream charts. Use one path or the other in a cluster, not both.',
    '',
    '## Install',
    '',
    'The namespaces (with their Pod Security labels) come from the manifests; apply them first. Neither helmfile nor',
    'the charts create them (`createNamespace: false`).',
    '',
    '```sh',
    `kubectl apply -f dist/${env}/manifests/00-namespaces.yaml`,
    `cd dist/${env}/helm && helmfile apply`,
    '```',
    '',
    'or with plain Helm, from this folder:',
    '',
    '```sh',
    ...helmCommands(releases),
    '```',
    '',
    `ArgoCD: apply \`dist/argocd/helm/${env}/\` (one Application per chart, values inline, plus one for the namespaces);`,
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
    ...releases.filter((r) => r.chart.deprecated).flatMap((r) => [`Note: ${r.chart.deprecated}.`, '']),
    ...(build.env.config.loki.enabled && build.env.config.loki.mode === 'simple-scalable' ? [
      'Loki runs SimpleScalable: log agents push to the write Service, Grafana queries the read Service (no gateway).',
      '',
    ] : []),
    ...(build.env.config.tempo.enabled ? [
      `Tempo: the tempo chart ${HELM_CHARTS.tempo.version} runs one replica (it creates no headless or memberlist Service), so`,
      '`tempo.replicas` above 1 is refused on this path; more Tempo needs the tempo-distributed chart, which obs-stack does not render.',
      '',
    ] : []),
    ...goRuntimeNote(build, releases),
    ...grafanaAdminNote(build, releases),
    ...otlpGatewayHelmNote(build.env.config), // (#19)
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Where a chart's Go runtime env differs from the manifests' (`goMemLimitEnv`: GOMEMLIMIT at 90% of the
 * memory limit): the grafana chart sets its own GOMEMLIMIT (the whole limit) and the cadvisor chart cannot
 * take env (see the builders' headers). The loki chart would add `GOGC=80`; its values name Go's default
 * instead, which the section says so a reader of the values knows why `GOGC` is there. The other Go
 * releases match.
 */
function goRuntimeNote(build: StackBuild, releases: readonly HelmRelease[]): string[] {
  const cfg = build.env.config;
  const installed = new Set(releases.map((r) => r.chart.key));
  const manifests = (r: ResourceSpec) => `\`${goMemLimitEnv(r).value}\``;
  const lines = [
    ...(installed.has('grafana') ? [
      `- grafana: the chart sets \`GOMEMLIMIT\` itself, to the whole memory limit (\`${cfg.grafana.resources.limits.memory}\`), where the manifests set`,
      `  ${manifests(cfg.grafana.resources)}; a second \`GOMEMLIMIT\` entry would give the container the same variable twice, which apply may drop.`,
    ] : []),
    ...(installed.has('cadvisor') ? [
      `- cadvisor: the chart has no setting for container env, so cAdvisor runs without \`GOMEMLIMIT\` (the manifests set ${manifests(cfg.cadvisor.resources)}).`,
    ] : []),
  ];
  const loki = installed.has('loki') ? [
    `The loki chart adds \`GOGC=80\` to Loki's containers unless their env names \`GOGC\`; the loki values name \`${LOKI_GOGC_ENV.name}=${LOKI_GOGC_ENV.value}\``,
    '(Go\'s default) in every Loki target\'s `extraEnv`, so the chart adds none and Loki runs as in the manifests.',
    '',
  ] : [];
  if (lines.length === 0 && loki.length === 0) return [];
  return [
    '## Go runtime settings',
    '',
    'The manifests set `GOMEMLIMIT` to 90% of the memory limit of every Go container (Prometheus sets its own) and leave',
    `\`GOGC\` at Go's default. The releases here do the same${lines.length > 0 ? ', except:' : '.'}`,
    '',
    ...(lines.length > 0 ? [...lines, ''] : []),
    ...loki,
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
