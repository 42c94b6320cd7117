/** Tempo on the Helm path: the tempo chart of the grafana-community repository (values: `helm-values.ts`). */
import * as k8s from '../../../imports/k8s';
import type { StackConfig } from '../../config/types';
import type { ConfigIssue } from '../../config/errors';
import type { Endpoint } from '../../lib/endpoints';
import { HELM_EXTRA_DIR, HELM_REPOSITORIES, type ChartServicePort, type ComponentHelm, chartFullname, onService, onServiceName, releasedChart } from '../../lib/helm';
import { manifestsPod } from '../../lib/manifests-pods';
import { TEMPO_IDENTITY } from './tempo';
import { tempoValues } from './helm-values';

const CHART = releasedChart({
  key: 'tempo', repository: HELM_REPOSITORIES.grafanaCommunity, version: '2.2.4', appVersion: '2.10.8', sourceRepo: 'grafana-community/helm-charts',
});

/** The ports the chart hard-codes: templates/_ports.tpl targetPorts and templates/statefulset.yaml containerPorts. */
const FIXED_PORTS = { http: 3200, otlpGrpc: 4317, otlpHttp: 4318, jaegerGrpc: 14250, jaegerThriftHttp: 14268, zipkin: 9411 } as const;

/**
 * The tempo Service's ports that lead somewhere: metrics, plus the receivers the config enables.
 * templates/_ports.tpl adds an OTLP or Jaeger port only when its `tempo.receivers.*.endpoint` is set (the
 * values set exactly the enabled ones); the port numbers come from those endpoints and the targetPorts are
 * fixed, hence FIXED_PORTS. The chart also always adds tempo-zipkin (9411) and the legacy OTLP ports (55680,
 * 55681): nothing listens behind them unless a receiver is enabled, so they are listed only for an enabled
 * Zipkin receiver (and never the legacy pair).
 */
function servicePorts(cfg: StackConfig): ChartServicePort[] {
  const r = cfg.tempo.receivers;
  const f = FIXED_PORTS;
  return [
    { name: 'tempo-prom-metrics', port: f.http },
    ...(r.otlpGrpc ? [{ name: 'grpc-tempo-otlp', port: f.otlpGrpc }] : []),
    ...(r.otlpHttp ? [{ name: 'tempo-otlp-http', port: f.otlpHttp }] : []),
    ...(r.jaeger ? [{ name: 'grpc-tempo-jaeger', port: f.jaegerGrpc }, { name: 'tempo-jaeger-thrift-http', port: f.jaegerThriftHttp }] : []),
    ...(r.zipkin ? [{ name: 'tempo-zipkin', port: f.zipkin }] : []),
  ];
}

function problems(cfg: StackConfig): ConfigIssue[] {
  if (!cfg.tempo.enabled) return [];
  const out: ConfigIssue[] = [];
  for (const [k, fixed] of Object.entries(FIXED_PORTS)) {
    const actual = cfg.tempo.ports[k as keyof typeof FIXED_PORTS];
    if (actual !== fixed) {
      out.push({ path: `tempo.ports.${k}`, value: actual, message: `is hard-coded to ${fixed} by the tempo chart ${CHART.version}`, fix: `set it to ${fixed} or use the manifests path` });
    }
  }
  // The chart runs one StatefulSet but creates neither the headless Service its `serviceName` names nor a
  // memberlist port, so replicas could never find each other.
  if (cfg.tempo.replicas > 1) {
    out.push({
      path: 'tempo.replicas', value: cfg.tempo.replicas,
      message: `cannot be expressed by the tempo chart ${CHART.version} (no headless or memberlist Service for the scalable single binary)`,
      fix: 'set tempo.replicas to 1, or set helm.enabled: false for a manifests-only environment (the manifests run it), or install the tempo-distributed chart (not generated)',
    });
  }
  return out;
}

export const tempoHelm: ComponentHelm<'tempo'> = {
  release: {
    chart: CHART,
    installed: (cfg) => cfg.tempo.enabled,
    values: ({ build, cfg, endpoints, wires }) => tempoValues({ cfg, endpoints, wires, pod: manifestsPod(build, 'StatefulSet', TEMPO_IDENTITY.name) }),
  },
  // templates/statefulset.yaml: port `prom-metrics` (3200, fixed).
  pod: { appName: 'tempo', metricsPortName: 'prom-metrics', metricsPath: '/metrics' },
  services: (cfg, releases) => [{
    chart: 'tempo',
    name: chartFullname(CHART.chart, releases.tempo),
    namespace: cfg.common.namespace,
    ports: servicePorts(cfg),
    source: 'templates/service.yaml, templates/_ports.tpl',
  }],
  /**
   * `grpc` (Tempo's internal gRPC server) is not on the chart's Service: it keeps the manifests' port on the
   * Service name and is reachable pod-to-pod only. A receiver the config leaves off has no Service port; like
   * the manifests' registry (which lists every receiver), its endpoint stays defined, on the Service name
   * with its fixed port, and nothing uses it.
   */
  endpoints: (cfg, base, releases) => {
    const s = tempoHelm.services(cfg, releases)[0];
    const b = base.tempo;
    const receiver = (e: Endpoint, portName: string): Endpoint => (s.ports.some((p) => p.name === portName) ? onService(e, s, portName) : onServiceName(e, s));
    return {
      tempo: {
        http: onService(b.http, s, 'tempo-prom-metrics'),
        grpc: onServiceName(b.grpc, s),
        otlpGrpc: receiver(b.otlpGrpc, 'grpc-tempo-otlp'),
        otlpHttp: receiver(b.otlpHttp, 'tempo-otlp-http'),
        jaegerGrpc: receiver(b.jaegerGrpc, 'grpc-tempo-jaeger'),
        jaegerThriftHttp: receiver(b.jaegerThriftHttp, 'tempo-jaeger-thrift-http'),
        zipkin: receiver(b.zipkin, 'tempo-zipkin'),
      },
    };
  },
  problems,
  // The headless Service the StatefulSet names as its `serviceName` (`<fullname>-headless`, templates/statefulset.yaml) but never creates.
  extra: {
    file: 'tempo.yaml',
    add: ({ cfg, releases, chart, labeler, podLabels }) => {
      const s = tempoHelm.services(cfg, releases)[0];
      const http = s.ports[0];
      new k8s.KubeService(chart, 'headless', {
        metadata: {
          name: `${chartFullname(CHART.chart, releases.tempo)}-headless`,
          namespace: s.namespace,
          labels: labeler.labels({ ...TEMPO_IDENTITY, version: cfg.tempo.image.tag }),
        },
        spec: {
          clusterIp: 'None',
          selector: podLabels('tempo'),
          ports: [{ name: http.name, port: http.port, targetPort: k8s.IntOrString.fromNumber(http.targetPort ?? http.port), protocol: 'TCP' }],
        },
      });
      return true;
    },
  },
  readme: {
    notes: () => [
      `Tempo: the tempo chart ${CHART.version} runs one replica (it has no memberlist Service and creates no headless Service;`,
      `the one its StatefulSet names comes from \`${HELM_EXTRA_DIR}/tempo.yaml\`), so \`tempo.replicas\` above 1 is refused on this path;`,
      'more Tempo needs the tempo-distributed chart, which obs-stack does not render.',
      '',
    ],
    withoutUi: 'Tempo',
    extra: '`tempo.yaml`: the headless Service the tempo chart\'s StatefulSet names as its `serviceName` but never creates.',
  },
};
