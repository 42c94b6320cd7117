/**
 * The Helm charts the Helm path installs, pinned: repository, chart version and the app version the chart
 * ships by default (our values override the image tag with each component's `image` anyway).
 *
 * Repository facts as of the pinned versions: the grafana, tempo and OSS loki charts moved from
 * grafana/helm-charts to grafana-community/helm-charts in 2026 (grafana and tempo on 2026-01-30, loki on
 * 2026-03-16; the grafana/loki chart >= 7.0.0 targets Grafana Enterprise Logs only). The promtail chart
 * stays in grafana/helm-charts, frozen at 6.17.1 and marked deprecated (Promtail reached end of life;
 * Alloy is its successor). Alloy's chart is published to the grafana repository from grafana/alloy.
 */

/**
 * The releases obs-stack generates values for, by key; the key doubles as the default release name. A chart
 * may back two keys: the alloy chart runs the log agent (`alloy`) and the OTLP gateway (`otlp-gateway`).
 */
export type ChartKey = 'prometheus' | 'cadvisor' | 'loki' | 'promtail' | 'alloy' | 'tempo' | 'otlp-gateway' | 'grafana';

export const CHART_KEYS: readonly ChartKey[] = ['prometheus', 'cadvisor', 'loki', 'promtail', 'alloy', 'tempo', 'otlp-gateway', 'grafana'];

/** A Helm chart repository, under the local alias `helm repo add` gives it. */
export interface HelmRepository {
  readonly name: string;
  readonly url: string;
}

export const HELM_REPOSITORIES = {
  prometheusCommunity: { name: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts' },
  grafanaCommunity: { name: 'grafana-community', url: 'https://grafana-community.github.io/helm-charts' },
  grafana: { name: 'grafana', url: 'https://grafana.github.io/helm-charts' },
  ckotzbauer: { name: 'ckotzbauer', url: 'https://ckotzbauer.github.io/helm-charts' },
} as const satisfies Record<string, HelmRepository>;

export interface HelmChart {
  readonly key: ChartKey;
  /** Chart name inside its repository (also the chart's `.Chart.Name`, used by its name templates). */
  readonly chart: string;
  readonly repository: HelmRepository;
  /** Exact chart version. */
  readonly version: string;
  /** `appVersion` of that chart version (what it would run without our image override). */
  readonly appVersion: string;
  /** Where the chart's templates live upstream (the Service table in services.ts was read from there). */
  readonly source: { readonly repo: string; readonly path: string; readonly ref: string };
  /** Set when the chart is deprecated upstream; printed in the README next to it. */
  readonly deprecated?: string;
}

/**
 * A chart released with chart-releaser from `charts/<key>` of `sourceRepo` (tags `<key>-<version>`), so the
 * version is written once per chart.
 */
function releasedChart(c: Pick<HelmChart, 'key' | 'repository' | 'version' | 'appVersion' | 'deprecated'> & { readonly sourceRepo: string }): HelmChart {
  return {
    key: c.key, chart: c.key, repository: c.repository, version: c.version, appVersion: c.appVersion,
    source: { repo: c.sourceRepo, path: `charts/${c.key}`, ref: `${c.key}-${c.version}` },
    ...(c.deprecated !== undefined ? { deprecated: c.deprecated } : {}),
  };
}

const ALLOY_CHART: HelmChart = {
  key: 'alloy', chart: 'alloy', repository: HELM_REPOSITORIES.grafana, version: '1.11.1', appVersion: 'v1.18.1',
  source: { repo: 'grafana/alloy', path: 'operations/helm/charts/alloy', ref: 'helm-chart/1.11.1' },
};

export const HELM_CHARTS: Readonly<Record<ChartKey, HelmChart>> = {
  prometheus: releasedChart({
    key: 'prometheus', repository: HELM_REPOSITORIES.prometheusCommunity, version: '29.27.0', appVersion: 'v3.14.0',
    sourceRepo: 'prometheus-community/helm-charts',
  }),
  cadvisor: releasedChart({
    key: 'cadvisor', repository: HELM_REPOSITORIES.ckotzbauer, version: '2.4.3', appVersion: '0.52.1', sourceRepo: 'ckotzbauer/helm-charts',
  }),
  loki: releasedChart({
    key: 'loki', repository: HELM_REPOSITORIES.grafanaCommunity, version: '18.11.0', appVersion: '3.7.6', sourceRepo: 'grafana-community/helm-charts',
  }),
  promtail: releasedChart({
    key: 'promtail', repository: HELM_REPOSITORIES.grafana, version: '6.17.1', appVersion: '3.5.1', sourceRepo: 'grafana/helm-charts',
    deprecated: 'the promtail chart is deprecated and frozen at 6.17.1 (Promtail reached end of life on 2026-03-02); prefer logAgent: alloy',
  }),
  // Released from the Alloy repository itself, with its own tag scheme.
  alloy: ALLOY_CHART,
  // The same chart again, as a Deployment: the OTLP gateway.
  'otlp-gateway': { ...ALLOY_CHART, key: 'otlp-gateway' },
  tempo: releasedChart({
    key: 'tempo', repository: HELM_REPOSITORIES.grafanaCommunity, version: '2.2.4', appVersion: '2.10.8', sourceRepo: 'grafana-community/helm-charts',
  }),
  grafana: releasedChart({
    key: 'grafana', repository: HELM_REPOSITORIES.grafanaCommunity, version: '12.11.1', appVersion: '13.2.0', sourceRepo: 'grafana-community/helm-charts',
  }),
};

/** `<repo alias>/<chart>`, as `helm upgrade --install` and helmfile refer to a chart. */
export function chartRef(c: HelmChart): string {
  return `${c.repository.name}/${c.chart}`;
}
