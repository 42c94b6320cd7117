/**
 * The Alertmanager on the Helm path: the prometheus chart's alertmanager subchart (1.42.0), in the prometheus
 * release (values: `helm-values.ts`, under the parent's `alertmanager` key).
 */
import type { StackConfig } from '../../config/types';
import { type ChartService, type ComponentHelm, type HelmReleases, type HelmSubchart, chartFullname, onService } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { alertmanagerDeployed } from './config';
import { ALERTMANAGER_IDENTITY } from './alertmanager';
import { alertmanagerSubchartValues } from './helm-values';

/** templates/statefulset.yaml hard-codes `containerPort: 9093`. */
const SUBCHART_PORT = 9093;

const SUBCHART: HelmSubchart = {
  parent: 'prometheus',
  subchart: 'alertmanager',
  enabled: (cfg) => alertmanagerDeployed(cfg),
  values: ({ build, cfg, releases }) => alertmanagerSubchartValues(cfg, releases, alertmanagerDeployed(cfg) ? manifestsPod(build, 'StatefulSet', ALERTMANAGER_IDENTITY.name) : undefined),
};

/** The labels the subchart's pods carry and its Services select (templates/_helpers.tpl `alertmanager.selectorLabels`). */
export function alertmanagerPodLabels(releases: HelmReleases): Record<string, string> {
  return { 'app.kubernetes.io/name': alertmanagerHelm.pod.appName, 'app.kubernetes.io/instance': releases[SUBCHART.parent] };
}

/**
 * The subchart's Services (templates/services.yaml): `<fullname>` (port `http`) and the headless
 * `<fullname>-headless` (`http`, and `cluster-tcp`/`cluster-udp` with more than one replica), where
 * `alertmanager.fullname` is `<release>-alertmanager` unless the release name contains it. The StatefulSet
 * is `<fullname>`, so its pods are `<fullname>-<i>`. Both in the release's namespace.
 */
function services(cfg: StackConfig, releases: HelmReleases): [main: ChartService, headless: ChartService] {
  const full = chartFullname(SUBCHART.subchart, releases[SUBCHART.parent]);
  const ns = cfg.common.namespace;
  const http = { name: 'http', port: cfg.alertmanager.ports.http };
  const source = 'charts/alertmanager/templates/services.yaml, templates/_helpers.tpl (alertmanager.fullname)';
  return [
    { chart: SUBCHART.parent, name: full, namespace: ns, ports: [http], source },
    {
      chart: SUBCHART.parent, name: `${full}-headless`, namespace: ns, source,
      ports: [http, ...(cfg.alertmanager.replicas > 1 ? [{ name: 'cluster-tcp', port: cfg.alertmanager.ports.cluster }] : [])],
    },
  ];
}

export const alertmanagerHelm: ComponentHelm = {
  subchart: SUBCHART,
  // Container port `containerPortName` (default `http`), which serves `/metrics` too.
  pod: { appName: 'alertmanager', metricsPortName: 'http', metricsPath: '/metrics' },
  services,
  endpoints: (cfg, base, releases) => {
    if (!alertmanagerDeployed(cfg)) return {};
    const [main, headless] = services(cfg, releases);
    const b = base.alertmanager;
    return {
      alertmanager: {
        http: onService(b.http, main, 'http'),
        peers: onService(b.peers, headless, 'http'),
        ...(b.cluster ? { cluster: onService(b.cluster, headless, 'cluster-tcp') } : {}),
      },
    };
  },
  problems: (cfg, chart) => (alertmanagerDeployed(cfg) && cfg.alertmanager.ports.http !== SUBCHART_PORT ? [{
    path: 'alertmanager.ports.http', value: cfg.alertmanager.ports.http,
    message: `is hard-coded to ${SUBCHART_PORT} by the alertmanager subchart of the ${chart.chart} chart ${chart.version}`,
    fix: `set it to ${SUBCHART_PORT}, or set helm.enabled: false for a manifests-only environment`,
  }] : []),
  readme: {
    notes: ({ cfg, releases }) => {
      const main = services(cfg, releases)[0];
      return [
        `Alertmanager: the ${releases[SUBCHART.parent]} release's \`${SUBCHART.subchart}\` subchart (Service ${main.name}, pods ${main.name}-<i>), with the`,
        'manifests\' routing, receivers, inhibition and templates; the receivers\' Secrets are those of `../README.md`.',
        '',
      ];
    },
    ui: ({ cfg, releases }) => {
      const main = services(cfg, releases)[0];
      return { rank: 5, title: 'Alertmanager', service: main, local: main.ports[0].port, path: '/' };
    },
  },
};
