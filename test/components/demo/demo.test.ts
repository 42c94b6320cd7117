import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_IDENTITIES, DEMO_UID, SHUTDOWN_DELAY_MS } from '../../../src/components/demo/demo';
import { APP_METRICS, MESSAGING_METRICS } from '../../../src/lib/signals';
import { buildEndpoints } from '../../../src/components/registry';
import { otlpHttpEndpoint } from '../../../src/components/tempo/endpoints';
import { buildEnv, find, objectsOf, workloads, type KubeObject } from '../../support/synth';

function demoChart(profile: 'dev' | 'prod' = 'dev', overrides = {}): KubeObject[] {
  return buildEnv(profile, overrides).charts.find((c) => c.node.id === 'demo')!.toJson() as KubeObject[];
}

function container(objects: KubeObject[], name: string) {
  return find(objects, 'Deployment', name).spec.template.spec.containers[0];
}

function envOf(objects: KubeObject[], name: string): Record<string, string | undefined> {
  return Object.fromEntries(container(objects, name).env.map((e: { name: string; value?: string }) => [e.name, e.value]));
}

describe('demo (example services)', () => {
  test('is enabled in dev and absent in prod', () => {
    expect(buildEnv('dev').charts.map((c) => c.node.id)).toContain('demo');
    const prod = buildEnv('prod');
    expect(prod.charts.map((c) => c.node.id)).not.toContain('demo');
    expect(objectsOf(prod).some((o) => o.metadata.name.startsWith('demo-'))).toBe(false);
    expect(prod.wires.some((w) => w.from.startsWith('demo-') || w.to.component.startsWith('demo-'))).toBe(false);
  });

  test('exports traces to the OTLP/HTTP endpoint of the registry, with service names from the endpoints', () => {
    const build = buildEnv('dev');
    const objects = demoChart();
    for (const role of ['frontend', 'backend'] as const) {
      const env = envOf(objects, DEMO_IDENTITIES[role].name);
      expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(otlpHttpEndpoint(build.endpoints));
      expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('http/protobuf');
      expect(env.OTEL_SERVICE_NAME).toBe(build.endpoints[role === 'frontend' ? 'demoFrontend' : 'demoBackend'].http.component);
      expect(env.OTEL_RESOURCE_ATTRIBUTES).toBe('k8s.namespace.name=$(K8S_NAMESPACE_NAME),k8s.pod.name=$(K8S_POD_NAME),k8s.node.name=$(K8S_NODE_NAME)');
      // $(VAR) only expands variables defined earlier in the list.
      const names = container(objects, DEMO_IDENTITIES[role].name).env.map((e: { name: string }) => e.name);
      for (const v of ['K8S_NAMESPACE_NAME', 'K8S_POD_NAME', 'K8S_NODE_NAME']) expect(names.indexOf(v)).toBeLessThan(names.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
    }
    expect(envOf(objects, 'demo-traffic').OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  test('the OTLP endpoint follows a changed Tempo port', () => {
    const env = envOf(demoChart('dev', { tempo: { ports: { otlpHttp: 14318 } } }), 'demo-backend');
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://tempo.observability.svc:14318');
  });

  test('the frontend calls the backend Service, and the generator the frontend Service', () => {
    const build = buildEnv('dev');
    const objects = demoChart();
    expect(envOf(objects, 'demo-frontend').BACKEND_URL).toBe(build.endpoints.demoBackend.http.url);
    expect(envOf(objects, 'demo-traffic').FRONTEND_URL).toBe(build.endpoints.demoFrontend.http.url);
    for (const [svc, ep] of [['demo-frontend', build.endpoints.demoFrontend.http], ['demo-backend', build.endpoints.demoBackend.http]] as const) {
      const service = find(objects, 'Service', svc, ep.namespace);
      expect(service.spec.ports).toEqual([{ name: ep.portName, port: ep.port, targetPort: ep.portName, protocol: 'TCP', appProtocol: 'http' }]);
      // The Service selects exactly the pods of its Deployment.
      expect(service.spec.selector).toEqual(find(objects, 'Deployment', svc).spec.selector.matchLabels);
    }
  });

  test('scrape annotations point at the declared metrics port', () => {
    const objects = demoChart();
    for (const name of ['demo-frontend', 'demo-backend']) {
      const d = find(objects, 'Deployment', name);
      const ann = d.spec.template.metadata.annotations;
      const port = d.spec.template.spec.containers[0].ports[0];
      expect(ann).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port.containerPort), 'prometheus.io/path': '/metrics' });
      expect(port.name).toBe('http-metrics');
      expect(envOf(objects, name).PORT).toBe(String(port.containerPort));
    }
    // The generator is not scraped (it has no RED metrics of its own).
    expect(find(objects, 'Deployment', 'demo-traffic').spec.template.metadata.annotations).toBeUndefined();
  });

  test('the fault knobs and the rate come from the config', () => {
    const objects = demoChart('dev', { demo: { errorRatio: 0.05, latencyMs: 250, jitterMs: 10, slowStepMs: 0, trafficRps: 7 } });
    expect(envOf(objects, 'demo-backend')).toMatchObject({ ERROR_RATIO: '0.05', LATENCY_MS: '250', JITTER_MS: '10', SLOW_STEP_MS: '0' });
    expect(envOf(objects, 'demo-traffic').TRAFFIC_RPS).toBe('7');
    expect(envOf(objects, 'demo-frontend').ERROR_RATIO).toBeUndefined();
  });

  test('every pod is restricted, probed, bounded, and drains on stop', () => {
    const objects = demoChart();
    expect(workloads(objects).map((w) => w.metadata.name).sort()).toEqual(['demo-backend', 'demo-frontend', 'demo-traffic', 'demo-worker']);
    for (const d of workloads(objects)) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: DEMO_UID, runAsGroup: DEMO_UID, seccompProfile: { type: 'RuntimeDefault' } });
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: c.ports[0].name });
      expect(c.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: c.ports[0].name });
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
      // A locally built image (kind load) must not be pulled.
      expect(c.imagePullPolicy).toBe('IfNotPresent');
      expect(c.image).toBe('obs-stack/demo:0.1.0');
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(Object.keys(d.spec.selector.matchLabels).sort()).toEqual(['app.kubernetes.io/instance', 'app.kubernetes.io/name']);
      expect(d.spec.template.metadata.labels['app.kubernetes.io/name']).toBe(d.metadata.name);
      expect(c.env.find((e: { name: string }) => e.name === 'ROLE').value).toBe(c.name);
    }
    // The shutdown delay fits in the grace period with room to drain and flush spans.
    const fe = find(objects, 'Deployment', 'demo-frontend');
    expect(fe.spec.template.spec.terminationGracePeriodSeconds * 1000).toBeGreaterThan(SHUTDOWN_DELAY_MS + 15_000);
    expect(fe.spec.replicas).toBe(2);
    // The worker serves no requests: it stops consuming at once instead of waiting out a delay.
    expect(envOf(objects, 'demo-worker').SHUTDOWN_DELAY_MS).toBeUndefined();
    expect(envOf(objects, 'demo-frontend').SHUTDOWN_DELAY_MS).toBe(String(SHUTDOWN_DELAY_MS));
  });

  test('the image honours common.imageRegistry', () => {
    const objects = demoChart('dev', { common: { imageRegistry: 'registry.example.com/mirror' } });
    expect(container(objects, 'demo-backend').image).toBe('registry.example.com/mirror/obs-stack/demo:0.1.0');
  });

  test('records its wires: traffic -> frontend -> backend, frontend -> Kafka -> worker, all -> Tempo OTLP, Prometheus -> all', () => {
    const build = buildEnv('dev');
    const eps = buildEndpoints(build.env.config);
    const demoWires = build.wires.filter((w) => w.from.startsWith('demo-') || w.to.component.startsWith('demo-'));
    expect(demoWires.map((w) => [w.from, w.to.component, w.to.portName, w.kind])).toEqual([
      ['demo-traffic', 'demo-frontend', 'http-metrics', 'http'],
      ['demo-frontend', 'demo-backend', 'http-metrics', 'http'],
      ['demo-frontend', 'tempo', 'otlp-http', 'otlp'],
      ['demo-backend', 'tempo', 'otlp-http', 'otlp'],
      ['prometheus', 'demo-frontend', 'http-metrics', 'scrape'],
      ['prometheus', 'demo-backend', 'http-metrics', 'scrape'],
      ['demo-frontend', 'kafka', 'kafka', 'kafka'],
      ['demo-worker', 'kafka', 'kafka', 'kafka'],
      ['demo-worker', 'tempo', 'otlp-http', 'otlp'],
      ['prometheus', 'demo-worker', 'http-metrics', 'scrape'],
    ]);
    expect(demoWires.find((w) => w.kind === 'otlp')!.to.url).toBe(otlpHttpEndpoint(eps));
  });

  describe('the Kafka hop', () => {
    test('frontend and worker bootstrap from the Kafka Service and agree on the topic the stack hands over', () => {
      const build = buildEnv('dev');
      const objects = demoChart();
      const fe = envOf(objects, 'demo-frontend');
      const worker = envOf(objects, 'demo-worker');
      expect(fe.KAFKA_BROKERS).toBe(build.endpoints.kafka.client.address);
      expect(fe.KAFKA_BROKERS).toBe('kafka.observability.svc:9092');
      for (const k of ['KAFKA_BROKERS', 'KAFKA_TOPIC', 'KAFKA_TOPIC_PARTITIONS', 'KAFKA_TOPIC_REPLICATION_FACTOR', 'KAFKA_TOPIC_CONFIGS']) {
        expect([k, worker[k]]).toEqual([k, fe[k]]);
      }
      const cfg = build.env.config.kafka;
      expect(fe).toMatchObject({ KAFKA_TOPIC: cfg.topic.name, KAFKA_TOPIC_PARTITIONS: String(cfg.topic.partitions), KAFKA_TOPIC_REPLICATION_FACTOR: '1' });
      expect(fe.KAFKA_TOPIC_CONFIGS).toBe('cleanup.policy=delete,min.insync.replicas=1,retention.bytes=178956970,retention.ms=86400000,segment.bytes=16777216');
      expect(worker).toMatchObject({ ROLE: 'worker', KAFKA_CONSUMER_GROUP: 'demo-worker', OTEL_SERVICE_NAME: build.endpoints.demoWorker.http.component });
    });

    test('the worker shares the backend\'s fault knobs', () => {
      const objects = demoChart('dev', { demo: { errorRatio: 0.05, latencyMs: 250, jitterMs: 10, slowStepMs: 0 } });
      expect(envOf(objects, 'demo-worker')).toMatchObject({ ERROR_RATIO: '0.05', LATENCY_MS: '250', JITTER_MS: '10', SLOW_STEP_MS: '0' });
    });

    test('the worker is scraped on its declared metrics port, through a Service that selects it', () => {
      const build = buildEnv('dev');
      const objects = demoChart();
      const d = find(objects, 'Deployment', 'demo-worker');
      const ep = build.endpoints.demoWorker.http;
      expect(d.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(ep.port), 'prometheus.io/path': '/metrics' });
      expect(find(objects, 'Service', 'demo-worker', ep.namespace).spec.selector).toEqual(d.spec.selector.matchLabels);
    });

    test('kafka.enabled: false leaves the example services without the hop: no worker, no events, no Kafka', () => {
      const build = buildEnv('dev', { kafka: { enabled: false } });
      const objects = objectsOf(build);
      expect(build.charts.map((c) => c.node.id)).not.toContain('kafka');
      expect(objects.some((o) => o.metadata.name === 'demo-worker')).toBe(false);
      expect(envOf(demoChart('dev', { kafka: { enabled: false } }), 'demo-frontend').KAFKA_BROKERS).toBeUndefined();
      expect(build.wires.some((w) => w.to.component === 'kafka' || w.from === 'demo-worker')).toBe(false);
    });

    test('Kafka follows the example services: none without demo, even with kafka.enabled', () => {
      const build = buildEnv('dev', { demo: { enabled: false } });
      expect(build.env.config.kafka.enabled).toBe(true);
      expect(build.charts.map((c) => c.node.id)).not.toContain('kafka');
    });
  });

  test('sets only variables services/demo reads, and the dashboards query only metrics it writes', () => {
    const source = (f: string) => readFileSync(join(__dirname, '..', '..', '..', 'services', 'demo', 'src', f), 'utf8');
    const settings = source('settings.ts');
    const names = new Set(workloads(demoChart()).flatMap((w) => w.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)));
    // K8S_* feed OTEL_RESOURCE_ATTRIBUTES; OTEL_* are read by the OpenTelemetry SDK itself.
    const own = [...names].filter((n) => !n.startsWith('K8S_') && !n.startsWith('OTEL_')).sort();
    expect(own.filter((n) => !settings.includes(`'${n}'`))).toEqual([]);
    expect(own).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'KAFKA_CONSUMER_GROUP', 'KAFKA_TOPIC_CONFIGS', 'ROLE']));
    const metrics = source('metrics.ts');
    const metricNames = [APP_METRICS.requestsTotal, APP_METRICS.requestDuration, MESSAGING_METRICS.sent, MESSAGING_METRICS.consumed, MESSAGING_METRICS.processDuration, MESSAGING_METRICS.consumerLag];
    const labelNames = Object.values(MESSAGING_METRICS.labels);
    expect([...metricNames, ...labelNames].filter((n) => !metrics.includes(`'${n}'`))).toEqual([]);
  });
});
