/**
 * The example services (services/demo): a frontend that calls a backend, and a traffic generator that
 * keeps them busy, so dashboards, log queries and traces have real data from the first minute. With Kafka,
 * the frontend also publishes an event per order that a worker consumes, so traces cross a message queue.
 * The faults (error ratio, latency, jitter, a slow step) of the backend and the worker come from the
 * config, for practising the metrics -> logs -> traces loop.
 *
 * One image, four roles (`ROLE`). The image is built locally (`docker build` + `kind load`), which is why
 * the pull policy is IfNotPresent: with Always, a kind node would try a registry that has no such image.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, DemoConfig, ImageSpec } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import { RESTRICTED_CONTAINER_SECURITY, commonPodSpec, containerPort, httpProbe, imageRef, meta, resources, restrictedPodSecurity, serviceProps } from '../../lib/kube';

/** The uid/gid the image runs as (`USER 10001:10001` in services/demo/Dockerfile). */
export const DEMO_UID = 10001;

/** The path the services expose their metrics on (prom-client). */
export const DEMO_METRICS_PATH = '/metrics';

export type DemoRole = 'frontend' | 'backend' | 'traffic' | 'worker';

/** Pod identities. Names of the roles with endpoints are the endpoints' component names (= `service.name`). */
export const DEMO_IDENTITIES = {
  frontend: { name: 'demo-frontend', component: 'example-frontend' },
  backend: { name: 'demo-backend', component: 'example-backend' },
  traffic: { name: 'demo-traffic', component: 'example-traffic' },
  worker: { name: 'demo-worker', component: 'example-worker' },
} as const;

/**
 * Replicas: two frontends so per-pod panels and load balancing have something to show; one backend, one
 * worker (its consumer group spreads the partitions over more, should it be scaled) and one traffic
 * generator (a second generator would only double the rate, which `trafficRps` does).
 */
export const DEMO_REPLICAS: Readonly<Record<DemoRole, number>> = { frontend: 2, backend: 1, traffic: 1, worker: 1 };

/** The worker's consumer group. */
export const DEMO_CONSUMER_GROUP = 'demo-worker';

/** The topic as the frontend creates it (from the Kafka component's settings, handed over by the stack). */
export interface DemoTopic {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs by Kafka's names. */
  readonly configs: Readonly<Record<string, string>>;
}

/** The Kafka hop: where the frontend publishes and the worker consumes. */
export interface DemoKafka {
  /** The broker's client endpoint (`KAFKA_BROKERS`). */
  readonly bootstrap: Endpoint;
  readonly topic: DemoTopic;
}

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
  /** The worker's metrics endpoint (its Service); deployed only with `kafka`. */
  readonly worker: Endpoint;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: the traces store's OTLP/HTTP receiver, or with `otlpAll` the one of every signal. */
  readonly otlpEndpoint: string;
  /** Metrics and logs over OTLP too, and no scrape annotations (`demo.otlp: 'all'`). @default false */
  readonly otlpAll?: boolean;
  /** The Kafka hop. @default - none: the frontend publishes nothing and there is no worker */
  readonly kafka?: DemoKafka;
}

/** The services' Kafka settings (`KAFKA_*`, read by services/demo/src/settings.ts). */
export function kafkaEnv(kafka: DemoKafka): k8s.EnvVar[] {
  const t = kafka.topic;
  return [
    { name: 'KAFKA_BROKERS', value: kafka.bootstrap.address },
    { name: 'KAFKA_TOPIC', value: t.name },
    { name: 'KAFKA_TOPIC_PARTITIONS', value: String(t.partitions) },
    { name: 'KAFKA_TOPIC_REPLICATION_FACTOR', value: String(t.replicationFactor) },
    { name: 'KAFKA_TOPIC_CONFIGS', value: Object.keys(t.configs).sort().map((k) => `${k}=${t.configs[k]}`).join(',') },
  ];
}

/** The fault knobs the backend and the worker share. */
function faultEnv(config: DemoConfig): k8s.EnvVar[] {
  return [
    { name: 'ERROR_RATIO', value: String(config.errorRatio) },
    { name: 'LATENCY_MS', value: String(config.latencyMs) },
    { name: 'JITTER_MS', value: String(config.jitterMs) },
    { name: 'SLOW_STEP_MS', value: String(config.slowStepMs) },
  ];
}

/** Pod annotations the annotation-driven scrape job reads; the port is the container's metrics port. */
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
export function otelEnv(serviceName: string, otlpEndpoint: string, all?: { readonly container: string }): k8s.EnvVar[] {
  return [
    fieldEnv('K8S_NAMESPACE_NAME', 'metadata.namespace'),
    fieldEnv('K8S_POD_NAME', 'metadata.name'),
    fieldEnv('K8S_NODE_NAME', 'spec.nodeName'),
    { name: 'OTEL_SERVICE_NAME', value: serviceName },
    { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: otlpEndpoint },
    { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', value: 'http/protobuf' },
    {
      name: 'OTEL_RESOURCE_ATTRIBUTES',
      // With every signal over OTLP the container is named too: logs and metrics carry it as a label.
      value: `k8s.namespace.name=$(K8S_NAMESPACE_NAME),k8s.pod.name=$(K8S_POD_NAME),k8s.node.name=$(K8S_NODE_NAME)${all ? `,k8s.container.name=${all.container}` : ''}`,
    },
    ...(all ? otlpAllEnv() : []),
  ];
}

/** Every metric exports this often in OTLP-for-everything mode (milliseconds; the SDKs' default is 60000). */
export const DEMO_METRIC_EXPORT_INTERVAL_MS = 15000;

/** The OTLP-for-everything switches of services/demo (src/otlp-signals.ts): standard SDK variables. */
export function otlpAllEnv(): k8s.EnvVar[] {
  return [
    { name: 'OTEL_METRICS_EXPORTER', value: 'otlp' },
    { name: 'OTEL_LOGS_EXPORTER', value: 'otlp' },
    { name: 'OTEL_METRIC_EXPORT_INTERVAL', value: String(DEMO_METRIC_EXPORT_INTERVAL_MS) },
  ];
}

export class Demo extends Chart {
  constructor(scope: Construct, id: string, props: DemoProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, frontend, backend, worker, otlpEndpoint, kafka } = props;
    const all = (container: DemoRole) => (props.otlpAll ? { container } : undefined);

    const backendEnv: k8s.EnvVar[] = [...otelEnv(backend.component, otlpEndpoint, all('backend')), ...faultEnv(config)];
    const frontendEnv: k8s.EnvVar[] = [
      ...otelEnv(frontend.component, otlpEndpoint, all('frontend')),
      { name: 'BACKEND_URL', value: backend.url },
      ...(kafka ? kafkaEnv(kafka) : []),
    ];
    // The generator does not trace (the frontend span is each trace's root); it only needs the target.
    const trafficEnv: k8s.EnvVar[] = [
      { name: 'FRONTEND_URL', value: frontend.url },
      { name: 'TRAFFIC_RPS', value: String(config.trafficRps) },
    ];

    this.service('backend', backend, props, backendEnv);
    this.service('frontend', frontend, props, frontendEnv);
    if (kafka) {
      const workerEnv: k8s.EnvVar[] = [
        ...otelEnv(worker.component, otlpEndpoint, all('worker')),
        ...faultEnv(config),
        ...kafkaEnv(kafka),
        { name: 'KAFKA_CONSUMER_GROUP', value: DEMO_CONSUMER_GROUP },
      ];
      // Same image, ROLE=worker; its Service only names the metrics port it is scraped on, so with every
      // signal over OTLP it has none.
      if (props.otlpAll) this.deployment('worker', props, workerEnv, containerPort(worker), {});
      else this.service('worker', worker, props, workerEnv);
    }
    // The generator listens only for its probes; it has no Service and is not scraped.
    this.deployment('traffic', props, trafficEnv, { name: frontend.portName, containerPort: frontend.port, protocol: 'TCP' }, {});
  }

  private service(role: 'frontend' | 'backend' | 'worker', ep: Endpoint, props: DemoProps, env: k8s.EnvVar[]): void {
    const id = DEMO_IDENTITIES[role];
    const labels = props.labeler.labels({ ...id, version: props.image.tag });
    new k8s.KubeService(this, `${role}-service`, serviceProps([ep], labels, props.labeler.selector(id.name)));
    // Scraped through pod annotations, unless every signal leaves over OTLP.
    this.deployment(role, props, env, containerPort(ep), props.otlpAll ? {} : scrapeAnnotations(ep));
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
                // Only roles that serve requests keep serving after SIGTERM; the worker stops consuming at once.
                ...(role === 'frontend' || role === 'backend' ? [{ name: 'SHUTDOWN_DELAY_MS', value: String(SHUTDOWN_DELAY_MS) }] : []),
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
