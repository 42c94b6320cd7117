/**
 * Promtail on the Helm path: the promtail chart, which stays in the grafana repository, frozen at 6.17.1 and
 * marked deprecated (Promtail reached end of life; Alloy is its successor). Values: `helm-values.ts`.
 */
import { HELM_REPOSITORIES, type ComponentHelm, chartFullname, dnsTrunc, onService, releasedChart } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { logAgentEnabled } from '../log-pipeline';
import { PROMTAIL_IDENTITY } from './promtail';
import { promtailValues } from './helm-values';

const CHART = releasedChart({
  key: 'promtail', repository: HELM_REPOSITORIES.grafana, version: '6.17.1', appVersion: '3.5.1', sourceRepo: 'grafana/helm-charts',
  deprecated: 'the promtail chart is deprecated and frozen at 6.17.1 (Promtail reached end of life on 2026-03-02); prefer logAgent: alloy',
});

export const promtailHelm: ComponentHelm<'promtail'> = {
  release: {
    chart: CHART,
    installed: (cfg) => logAgentEnabled(cfg, 'promtail'),
    values: ({ build, cfg, endpoints, wires }) => promtailValues({ cfg, endpoints, wires, pod: manifestsPod(build, 'DaemonSet', PROMTAIL_IDENTITY.name) }),
  },
  // templates/_pod.tpl: port `http-metrics` (`config.serverPort`).
  pod: { appName: 'promtail', metricsPortName: 'http-metrics', metricsPath: '/metrics' },
  services: (cfg, releases) => [{
    chart: 'promtail',
    // Headless, and only created with `service.enabled` (off by default): our values turn it on.
    name: dnsTrunc(`${chartFullname(CHART.chart, releases.promtail)}-metrics`),
    namespace: cfg.common.agentNamespace,
    ports: [{ name: 'http-metrics', port: cfg.promtail.ports.http }],
    source: 'templates/service-metrics.yaml (port: config.serverPort)',
  }],
  endpoints: (cfg, base, releases) => ({ promtail: { http: onService(base.promtail.http, promtailHelm.services(cfg, releases)[0], 'http-metrics') } }),
  readme: {
    ui: ({ cfg, releases }) => {
      const s = promtailHelm.services(cfg, releases)[0];
      return { rank: 3, title: 'Promtail', service: s, local: s.ports[0].port, path: '/targets' };
    },
  },
};
