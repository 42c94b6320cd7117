import { DEMO_IDENTITIES, DEMO_UID, SHUTDOWN_DELAY_MS } from '../../../src/components/demo/demo';
import { buildEndpoints, otlpHttpEndpoint } from '../../../src/lib/endpoints';
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
    expect(workloads(objects).map((w) => w.metadata.name).sort()).toEqual(['demo-backend', 'demo-frontend', 'demo-traffic']);
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
  });

  test('the image honours common.imageRegistry', () => {
    const objects = demoChart('dev', { common: { imageRegistry: 'registry.example.com/mirror' } });
    expect(container(objects, 'demo-backend').image).toBe('registry.example.com/mirror/obs-stack/demo:0.1.0');
  });

  test('records its wires: traffic -> frontend -> backend, both -> Tempo OTLP, Prometheus -> both', () => {
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
    ]);
    expect(demoWires.find((w) => w.kind === 'otlp')!.to.url).toBe(otlpHttpEndpoint(eps));
  });
});
