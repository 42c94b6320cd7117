/**
 * kube-state-metrics on the Helm path: the prometheus chart's kube-state-metrics subchart (8.4.0), in the
 * prometheus release (values: `helm-values.ts`).
 */
import { type ComponentHelm, type HelmSubchart, chartFullname, onService, onServiceName } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { KUBE_STATE_METRICS_IDENTITY } from './kube-state-metrics';
import { kubeStateMetricsSubchart } from './helm-values';

const SUBCHART: HelmSubchart = {
  parent: 'prometheus',
  subchart: 'kube-state-metrics',
  enabled: (cfg) => cfg.kubeStateMetrics.enabled,
  values: ({ build, cfg }) => (cfg.kubeStateMetrics.enabled ? kubeStateMetricsSubchart(cfg, manifestsPod(build, 'Deployment', KUBE_STATE_METRICS_IDENTITY.name)) : { enabled: false }),
};

/**
 * Pods labelled `app.kubernetes.io/name: kube-state-metrics` and the release as instance;
 * templates/deployment.yaml names the main port `http` and the telemetry port `metrics`, both fixed. The
 * Service (`<release>-kube-state-metrics` unless the release name contains it) has `http` only while
 * `selfMonitor` is off (templates/service.yaml).
 */
export const kubeStateMetricsHelm: ComponentHelm = {
  subchart: SUBCHART,
  pod: { appName: 'kube-state-metrics', metricsPortName: 'http', metricsPath: '/metrics' },
  services: (cfg, releases) => [{
    chart: SUBCHART.parent,
    name: chartFullname(SUBCHART.subchart, releases[SUBCHART.parent]),
    namespace: cfg.common.namespace,
    ports: [{ name: 'http', port: cfg.kubeStateMetrics.port }],
    source: 'charts/kube-state-metrics/templates/service.yaml (port: service.port, name http)',
  }],
  // The telemetry port is not on the Service: it keeps its port on the Service's name, pod-to-pod only.
  clusterEndpoints: (cfg, base, releases) => {
    if (!SUBCHART.enabled(cfg)) return {};
    const s = kubeStateMetricsHelm.services(cfg, releases)[0];
    return { kubeStateMetrics: { http: onService(base.kubeStateMetrics.http, s, s.ports[0].name), telemetry: onServiceName(base.kubeStateMetrics.telemetry, s) } };
  },
};
