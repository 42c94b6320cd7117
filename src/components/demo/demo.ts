/**
 * The example services (services/demo): a frontend that calls a backend, and a traffic generator that
 * keeps them busy, so dashboards, log queries and traces have real data from the first minute. The
 * backend's faults (error ratio, latency, jitter, a slow downstream step) come from the config, for
 * practising the metrics -> logs -> traces loop.
 *
 * One image, three roles (`ROLE`). The image is built locally (`docker build` + `kind load`), which is why
 * the pull policy is IfNotPresent: with Always, a kind node would try a registry that has no such image.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, DemoConfig, ImageSpec } from '../../config/types';
import { METRICS_PORT_NAME, type Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import { RESTRICTED_CONTAINER_SECURITY, commonPodSpec, containerPort, httpProbe, imageRef, meta, resources, restrictedPodSecurity, serviceProps } from '../../lib/kube';

/** The uid/gid the image runs as (`USER 10001:10001` in services/demo/Dockerfile). */
export const DEMO_UID = 10001;

/** The path the services expose their metrics on (prom-client). */
export const DEMO_METRICS_PATH = '/metrics';

export type DemoRole = 'frontend' | 'backend' | 'traffic';

/** Pod identities. frontend and backend names are the endpoints' component names (= `service.name`). */
export const DEMO_IDENTITIES = {
  frontend: { name: 'demo-frontend', component: 'example-frontend' },
  backend: { name: 'demo-backend', component: 'example-backend' },
  traffic: { name: 'demo-traffic', component: 'example-traffic' },
} as const;

/**
 * Replicas: two frontends so per-pod panels and load balancing have something to show; one backend and
 * one traffic generator (a second generator would only double the rate, which `trafficRps` does).
 */
export const DEMO_REPLICAS: Readonly<Record<DemoRole, number>> = { frontend: 2, backend: 1, traffic: 1 };

/**
 * Time a stopping pod keeps serving after SIGTERM: endpoint removal races the signal, so a pod that
 * stops accepting at once drops requests still routed to it. Stays well below the grace period.
 */
export const SHUTDOWN_DELAY_MS = 5000;
const TERMINATION_GRACE_SECONDS = 30;

export interface DemoProps {
  readonly config: DemoConfig;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly frontend: Endpoint;
  readonly backend: Endpoint;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: Tempo's OTLP/HTTP receiver, or the OTLP gateway with `otlpAll`. */
  readonly otlpEndpoint: string;
  /** Metrics and logs over OTLP too, no scrape annotations (`demo.otlp: 'all'`, #19). @default false */
  readonly otlpAll?: boolean;
}

/** The OTLP-for-everything variables of services/demo (src/otlp-signals.ts), with the container as a resource attribute. */
export function otlpAllEnv(container: string): k8s.EnvVar[] {
  return [
    { name: 'OTEL_METRICS_EXPORTER', value: 'otlp' },
    { name: 'OTEL_LOGS_EXPORTER', value: 'otlp' },
    { name: 'OTEL_METRIC_EXPORT_INTERVAL', value: '15000' },
    { name: 'OTEL_RESOURCE_ATTRIBUTES', value: `k8s.namespace.name=$(K8S_NAMESPACE_NAME),k8s.pod.name=$(K8S_POD_NAME),k8s.node.name=$(K8S_NODE_NAME),k8s.container.name=${container}` },
  ];
}

/** `otelEnv`, plus the OTLP-for-everything variables when `all` (replacing the resource attributes). */
function roleOtelEnv(role: 'frontend' | 'backend', serviceName: string, otlpEndpoint: string, all: boolean): k8s.EnvVar[] {
  const base = otelEnv(serviceName, otlpEndpoint);
  if (!all) return base;
  const extra = otlpAllEnv(role);
  return [...base.filter((e) => !extra.some((x) => x.name === e.name)), ...extra];
}

/** Pod annotations the annotation-driven Prometheus job reads; the port is the container's metrics port. */
export function scrapeAnnotations(ep: Endpoint): Record<string, string> {
  return {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': String(ep.port),
    'prometheus.io/path': DEMO_METRICS_PATH,
  };
}

function fieldEnv(name: string, fieldPath: string): k8s.EnvVar {
  return { name, valueFrom: { fieldRef: { fieldPath } } };
}

/**
 * OTLP settings shared by the traced roles. Namespace, pod and node come from the downward API into
 * `OTEL_RESOURCE_ATTRIBUTES` (`$(VAR)` expands variables defined earlier in the list), so a span names
 * the pod whose logs and metrics belong to it.
 */
export function otelEnv(serviceName: string, otlpEndpoint: string): k8s.EnvVar[] {
  return [
    fieldEnv('K8S_NAMESPACE_NAME', 'metadata.namespace'),
    fieldEnv('K8S_POD_NAME', 'metadata.name'),
    fieldEnv('K8S_NODE_NAME', 'spec.nodeName'),
    { name: 'OTEL_SERVICE_NAME', value: serviceName },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: otlpEndpoint },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
    {
      name: 'OTEL_RESOURCE_ATTRIBUTES',
      value: 'k8s.namespace.name=$(K8S_NAMESPACE_NAME),k8s.pod.name=$(K8S_POD_NAME),k8s.node.name=$(K8S_NODE_NAME)',
    },
  ];
}

export class Demo extends Chart {
  constructor(scope: Construct, id: string, props: DemoProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, frontend, backend, otlpEndpoint } = props;

    const backendEnv: k8s.EnvVar[] = [
      ...roleOtelEnv('backend', backend.component, otlpEndpoint, props.otlpAll === true),
      { name: 'ERROR_RATIO', value: String(config.errorRatio) },
      { name: 'LATENCY_MS', value: String(config.latencyMs) },
      { name: 'JITTER_MS', value: String(config.jitterMs) },
      { name: 'SLOW_STEP_MS', value: String(config.slowStepMs) },
    ];
    const frontendEnv: k8s.EnvVar[] = [
      ...roleOtelEnv('frontend', frontend.component, otlpEndpoint, props.otlpAll === true),
      { name: 'BACKEND_URL', value: backend.url },
    ];
    // The generator does not trace (the frontend span is each trace's root); it only needs the target.
    const trafficEnv: k8s.EnvVar[] = [
      { name: 'FRONTEND_URL', value: frontend.url },
      { name: 'TRAFFIC_RPS', value: String(config.trafficRps) },
    ];

    this.service('backend', backend, props, backendEnv);
    this.service('frontend', frontend, props, frontendEnv);
    // The generator listens only for its probes; it has no Service and is not scraped.
    this.deployment('traffic', props, trafficEnv, { name: METRICS_PORT_NAME, containerPort: frontend.port, protocol: 'TCP' }, {});
  }

  private service(role: 'frontend' | 'backend', ep: Endpoint, props: DemoProps, env: k8s.EnvVar[]): void {
    const id = DEMO_IDENTITIES[role];
    const labels = props.labeler.labels({ ...id, version: props.image.tag });
    new k8s.KubeService(this, `${role}-service`, serviceProps([ep], labels, props.labeler.selector(id.name)));
    this.deployment(role, props, env, containerPort(ep), props.otlpAll === true ? {} : scrapeAnnotations(ep));
  }

  private deployment(role: DemoRole, props: DemoProps, env: k8s.EnvVar[], port: k8s.ContainerPort, annotations: Record<string, string>): void {
    const id = DEMO_IDENTITIES[role];
    const labels = props.labeler.labels({ ...id, version: props.image.tag });
    const selector = props.labeler.selector(id.name);
    const portName = port.name!;
    new k8s.KubeDeployment(this, `${role}-deployment`, {
      metadata: meta(id.name, props.frontend.namespace, labels),
      spec: {
        replicas: DEMO_REPLICAS[role],
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: Object.keys(annotations).length > 0 ? { labels, annotations } : { labels },
          spec: {
            ...commonPodSpec(props.common),
            securityContext: restrictedPodSecurity(DEMO_UID),
            terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
            containers: [{
              name: role,
              image: imageRef(props.image, props.common),
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'ROLE', value: role },
                { name: 'PORT', value: String(port.containerPort) },
                ...(role === 'traffic' ? [] : [{ name: 'SHUTDOWN_DELAY_MS', value: String(SHUTDOWN_DELAY_MS) }]),
                ...env,
              ],
              ports: [port],
              resources: resources(props.config.resources),
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              readinessProbe: httpProbe('/readyz', portName, { periodSeconds: 5, failureThreshold: 2 }),
              livenessProbe: httpProbe('/healthz', portName, { periodSeconds: 10, failureThreshold: 3 }),
            }],
          },
        },
      },
    });
  }
}
