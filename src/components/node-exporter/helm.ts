/**
 * node-exporter on the Helm path: the prometheus chart's prometheus-node-exporter subchart (4.56.1), in the
 * prometheus release (values: `helm-values.ts`).
 */
import { METRICS_PORT_NAME } from '../../lib/endpoints';
import { type ComponentHelm, type HelmSubchart, chartFullname, onService } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { NODE_EXPORTER_IDENTITY } from './node-exporter';
import { nodeExporterSubchart } from './helm-values';

const SUBCHART: HelmSubchart = {
  parent: 'prometheus',
  subchart: 'prometheus-node-exporter',
  enabled: (cfg) => cfg.nodeExporter.enabled,
  values: ({ build, cfg }) => (cfg.nodeExporter.enabled ? nodeExporterSubchart(cfg, manifestsPod(build, 'DaemonSet', NODE_EXPORTER_IDENTITY.name)) : { enabled: false }),
};

/**
 * Pods labelled `app.kubernetes.io/name: prometheus-node-exporter` and the release as instance; port
 * `service.portName`, which the values set to the manifests' name. Pods and Service in `namespaceOverride`,
 * the agents namespace (templates/daemonset.yaml); the Service is `<release>-prometheus-node-exporter`
 * unless the release name contains the subchart's.
 */
export const nodeExporterHelm: ComponentHelm = {
  subchart: SUBCHART,
  pod: { appName: 'prometheus-node-exporter', metricsPortName: METRICS_PORT_NAME, metricsPath: '/metrics' },
  services: (cfg, releases) => [{
    chart: SUBCHART.parent,
    name: chartFullname(SUBCHART.subchart, releases[SUBCHART.parent]),
    namespace: cfg.common.agentNamespace,
    ports: [{ name: METRICS_PORT_NAME, port: cfg.nodeExporter.port }],
    source: 'charts/prometheus-node-exporter/templates/service.yaml (port: service.port, name: service.portName)',
  }],
  clusterEndpoints: (cfg, base, releases) => {
    if (!SUBCHART.enabled(cfg)) return {};
    const s = nodeExporterHelm.services(cfg, releases)[0];
    return { nodeExporter: { http: onService(base.nodeExporter.http, s, s.ports[0].name) } };
  },
};
