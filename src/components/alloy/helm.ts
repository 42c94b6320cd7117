/**
 * Alloy as the log agent on the Helm path: the alloy chart, released to the grafana repository from the Alloy
 * repository itself, with its own tag scheme. Values: `helm-values.ts`.
 */
import { HELM_REPOSITORIES, type ComponentHelm, type HelmChart, chartFullname, onService } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { logAgentEnabled } from '../log-pipeline';
import { ALLOY_IDENTITY } from './alloy';
import { alloyValues } from './helm-values';

/** The alloy chart; another component may run it too, under a key of its own. */
export const ALLOY_CHART: HelmChart<'alloy'> = {
  key: 'alloy', chart: 'alloy', repository: HELM_REPOSITORIES.grafana, version: '1.11.1', appVersion: 'v1.18.1',
  source: { repo: 'grafana/alloy', path: 'operations/helm/charts/alloy', ref: 'helm-chart/1.11.1' },
};

export const alloyHelm: ComponentHelm<'alloy'> = {
  release: {
    chart: ALLOY_CHART,
    installed: (cfg) => logAgentEnabled(cfg, 'alloy'),
    values: ({ build, cfg, endpoints, wires }) => alloyValues({ cfg, endpoints, wires, pod: manifestsPod(build, 'DaemonSet', ALLOY_IDENTITY.name) }),
  },
  // templates/containers/_agent.yaml: port `http-metrics` (`alloy.listenPort`).
  pod: { appName: 'alloy', metricsPortName: 'http-metrics', metricsPath: '/metrics' },
  services: (cfg, releases) => [{
    chart: 'alloy',
    name: chartFullname(ALLOY_CHART.chart, releases.alloy),
    namespace: cfg.common.agentNamespace,
    ports: [{ name: 'http-metrics', port: cfg.alloy.ports.http }],
    source: 'templates/service.yaml (port: alloy.listenPort)',
  }],
  endpoints: (cfg, base, releases) => ({ alloy: { http: onService(base.alloy.http, alloyHelm.services(cfg, releases)[0], 'http-metrics') } }),
  readme: {
    ui: ({ cfg, releases }) => {
      const s = alloyHelm.services(cfg, releases)[0];
      return { rank: 2, title: 'Alloy', service: s, local: s.ports[0].port, path: '/' };
    },
  },
};
