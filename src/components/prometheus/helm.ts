/**
 * Prometheus on the Helm path: the prometheus-community prometheus chart, whose subcharts run other
 * components of the stack (their folders' `helm.subchart`). Values: `helm-values.ts`.
 */
import { type ComponentHelm, dnsTrunc, onService, releasedChart } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { prometheusScrapeOf } from './jobs';
import { PROMETHEUS_IDENTITY } from './prometheus';
import { type PrometheusSubchartValues, prometheusValues } from './helm-values';

const CHART = releasedChart({
  key: 'prometheus', repository: { name: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts' }, version: '29.27.0', appVersion: 'v3.14.0',
  sourceRepo: 'prometheus-community/helm-charts',
});

/** templates/_helpers.tpl `prometheus.port`: 9090 (no listen-address flag is passed). */
const FIXED_PORT = 9090;
/** values.yaml `server.service.servicePort`. */
const SERVICE_PORT = 80;

/**
 * The container port 9090 is unnamed unless `server.portName` is set (templates/deploy.yaml), so the values
 * set it to this name, which the scrape job keeps the port by.
 */
export const PROMETHEUS_CONTAINER_PORT_NAME = 'http-metrics';

export const prometheusHelm: ComponentHelm<'prometheus'> = {
  release: {
    chart: CHART,
    install: 'first',
    installed: () => true,
    values: ({ build, cfg, endpoints, wires, podFacts, subcharts }) => prometheusValues({
      cfg, endpoints, wires, podFacts, scrape: prometheusScrapeOf(build.scrapeTargets), ruleFiles: build.ruleFiles(),
      pod: manifestsPod(build, 'StatefulSet', PROMETHEUS_IDENTITY.name),
      // The subcharts' values, each built by the component it runs (their `helm.subchart`).
      subcharts: subcharts(CHART.key) as PrometheusSubchartValues,
    }),
  },
  // templates/_helpers.tpl `prometheus.common.matchLabels` (name, instance) plus `app.kubernetes.io/component: server`.
  pod: { appName: 'prometheus', metricsPortName: PROMETHEUS_CONTAINER_PORT_NAME, metricsPath: '/metrics' },
  services: (cfg, releases) => {
    const release = releases.prometheus;
    return [{
      chart: 'prometheus',
      // `prometheus.server.fullname`: `<release>-server` when the release name contains the chart's, else `<release>-<chart>-server`.
      name: dnsTrunc(release.includes(CHART.chart) ? `${release}-server` : `${release}-${CHART.chart}-server`),
      namespace: cfg.common.namespace,
      ports: [{ name: 'http', port: SERVICE_PORT, targetPort: FIXED_PORT }],
      source: 'templates/service.yaml, templates/_helpers.tpl (prometheus.server.fullname)',
    }];
  },
  endpoints: (cfg, base, releases) => ({ prometheus: { http: onService(base.prometheus.http, prometheusHelm.services(cfg, releases)[0], 'http') } }),
  problems: (cfg) => (cfg.prometheus.ports.http !== FIXED_PORT ? [{
    path: 'prometheus.ports.http', value: cfg.prometheus.ports.http, message: `is hard-coded to ${FIXED_PORT} by the prometheus chart ${CHART.version}`,
    fix: `set it to ${FIXED_PORT}, or set helm.enabled: false for a manifests-only environment`,
  }] : []),
  readme: {
    ui: ({ cfg, releases }) => {
      const s = prometheusHelm.services(cfg, releases)[0];
      return { rank: 1, title: 'Prometheus', service: s, local: s.ports[0].targetPort ?? s.ports[0].port, path: '/targets' };
    },
  },
};
