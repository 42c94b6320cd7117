/** cAdvisor on the Helm path: the ckotzbauer/cadvisor chart (values: `helm-values.ts`). */
import { type ComponentHelm, onService, releasedChart } from '../../lib/helm';
import { cadvisorValues } from './helm-values';

const CHART = releasedChart({
  key: 'cadvisor', repository: { name: 'ckotzbauer', url: 'https://ckotzbauer.github.io/helm-charts' }, version: '2.4.3', appVersion: '0.52.1', sourceRepo: 'ckotzbauer/helm-charts',
});

export const cadvisorHelm: ComponentHelm<'cadvisor'> = {
  release: { chart: CHART, installed: (cfg) => cfg.cadvisor.enabled, values: ({ cfg, endpoints }) => cadvisorValues({ cfg, endpoints }) },
  // templates/daemonset.yaml: port `http` (`container.port`).
  pod: { appName: 'cadvisor', metricsPortName: 'http', metricsPath: '/metrics' },
  services: (cfg) => [{
    chart: 'cadvisor',
    // Named after `cadvisor.name` (the chart name), NOT the fullname: the release name does not appear.
    name: CHART.chart,
    namespace: cfg.common.agentNamespace,
    ports: [{ name: 'http', port: cfg.cadvisor.ports.http }],
    source: 'templates/service.yaml (name: cadvisor.name, port: container.port)',
  }],
  endpoints: (cfg, base, releases) => ({ cadvisor: { http: onService(base.cadvisor.http, cadvisorHelm.services(cfg, releases)[0], 'http') } }),
  readme: {
    ui: ({ cfg, releases }) => {
      const s = cadvisorHelm.services(cfg, releases)[0];
      return { rank: 4, title: 'cAdvisor', service: s, local: s.ports[0].port, path: '/containers/' };
    },
  },
};
