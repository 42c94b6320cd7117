/** Grafana on the Helm path: the grafana chart of the grafana-community repository (values: `helm-values.ts`). */
import * as k8s from '../../../imports/k8s';
import { HELM_REPOSITORIES, type ComponentHelm, chartFullname, onService, releasedChart } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import type { StackBuild } from '../../stack';
import { withExtraDashboards } from './extra-dashboards';
import { CONFIGMAP_MAX_BYTES, GRAFANA_IDENTITY, PORT_FORWARD_LOCAL_PORT, adminSecretCommand, planDashboards } from './grafana';
import { GRAFANA_DASHBOARDS_CONFIGMAP, grafanaValues } from './helm-values';

const CHART = releasedChart({
  key: 'grafana', repository: HELM_REPOSITORIES.grafanaCommunity, version: '12.11.1', appVersion: '13.2.0', sourceRepo: 'grafana-community/helm-charts',
});

/** `values.yaml` `service.port`: the Service listens on 80 and forwards to Grafana's port. */
const SERVICE_PORT = 80;

/** The same dashboards as the manifests (the same scraped jobs feed the stack-health dashboard), the user's included. */
export function helmDashboards(build: StackBuild): Record<string, string> {
  return withExtraDashboards(build.env, build.dashboards());
}

export const grafanaHelm: ComponentHelm<'grafana'> = {
  release: {
    chart: CHART,
    install: 'last',
    installed: (cfg) => cfg.grafana.enabled,
    values: ({ build, cfg, endpoints }) => grafanaValues({ cfg, endpoints, dashboards: helmDashboards(build), pod: manifestsPod(build, 'Deployment', GRAFANA_IDENTITY.name) }),
  },
  // templates/_pod.tpl: port `podPortName` (default `grafana`, `service.targetPort`).
  pod: { appName: 'grafana', metricsPortName: 'grafana', metricsPath: '/metrics' },
  services: (cfg, releases) => [{
    chart: 'grafana',
    name: chartFullname(CHART.chart, releases.grafana),
    namespace: cfg.common.namespace,
    ports: [{ name: 'service', port: SERVICE_PORT, targetPort: cfg.grafana.ports.http }],
    source: 'templates/service.yaml (port name: service.portName, port: service.port, targetPort: service.targetPort)',
  }],
  endpoints: (cfg, base, releases) => ({ grafana: { http: onService(base.grafana.http, grafanaHelm.services(cfg, releases)[0], 'service') } }),
  // Every dashboard in one ConfigMap, mounted through `dashboardsConfigMaps` (helm-values.ts), so the chart adds no download init container.
  extra: {
    file: 'grafana.yaml',
    add: ({ build, cfg, releases, chart, labeler }) => {
      const planned = planDashboards(helmDashboards(build));
      if (planned.length === 0) return false;
      const data = Object.fromEntries(planned.map((d) => [d.file, d.json]));
      const bytes = planned.reduce((n, d) => n + Buffer.byteLength(d.file) + Buffer.byteLength(d.json), 0);
      if (bytes > CONFIGMAP_MAX_BYTES - 64 * 1024) {
        throw new Error(`Helm path: the dashboards add up to ${bytes} bytes, too much for the one ConfigMap the grafana chart mounts (${CONFIGMAP_MAX_BYTES} bytes at most); use the manifests path or split the dashboards`);
      }
      new k8s.KubeConfigMap(chart, 'dashboards', {
        metadata: {
          name: GRAFANA_DASHBOARDS_CONFIGMAP,
          namespace: grafanaHelm.services(cfg, releases)[0].namespace,
          labels: labeler.labels({ ...GRAFANA_IDENTITY, version: cfg.grafana.image.tag }),
        },
        data,
      });
      return true;
    },
  },
  readme: {
    ui: ({ cfg, releases }) => ({ rank: 0, title: 'Grafana', service: grafanaHelm.services(cfg, releases)[0], local: PORT_FORWARD_LOCAL_PORT, path: '/' }),
    showsWithoutUi: 'Grafana\'s Explore and the obs-stack dashboards',
    extra: '`grafana.yaml`: the dashboards in one ConfigMap, which the grafana release mounts (`dashboardsConfigMaps`) instead of downloading them in an init container.',
    // The chart needs an admin Secret on every profile (without one it would render a random password into a Secret of its own).
    sections: ({ cfg, namespace }) => [
      '## Grafana admin Secret',
      '',
      `The grafana release reads its admin user and password from a Secret you create before installing${cfg.grafana.adminSecret.name === '' ? ' (this environment names none, so the Helm path uses the default name; the manifests path would fall back to Grafana\'s first-login admin, which the chart cannot do without generating a random password itself)' : ''}:`,
      '',
      '```sh',
      adminSecretCommand(cfg.grafana, namespace ?? cfg.common.namespace),
      '```',
      '',
    ],
  },
};
