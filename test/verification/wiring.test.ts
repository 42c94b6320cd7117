import { checkWires, checkWiring, collectAddresses, formatProblems } from '../support/checks';
import { externalAllowed, resolveServicePort } from '../support/checks/wiring';
import type { KubeObject } from '../support/synth';
import { CONFIG_LABELS, configNamed } from './configs';
import { clone } from './helpers';

/** A ConfigMap holding `text`, to feed addresses to the wiring check. */
function configMapWith(text: string, namespace = 'observability'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace }, data: { 'x.yaml': text } };
}

describe('wiring: every address resolves to a Service, a port and a pod', () => {
  it.each(CONFIG_LABELS)('%s: every address and every recorded wire resolves', (label) => {
    const c = configNamed(label);
    expect(formatProblems([...checkWiring(c.objects, externalAllowed(c.config)), ...checkWires(c.wires, c.objects)])).toBe('');
  });

  it('finds URLs and bare service addresses in ConfigMaps, env and args', () => {
    const cm = configMapWith('url: http://loki.observability.svc:3100/loki/api/v1/push\ntarget: tempo.observability.svc.cluster.local:4317\n[server]\nroot_url = https://grafana.example.com/\n');
    const found = collectAddresses([cm]).map((a) => `${a.host}:${a.port}`);
    expect(found).toEqual(['loki.observability.svc:3100', 'grafana.example.com:443', 'tempo.observability.svc.cluster.local:4317']);
  });

  const base = () => clone(configNamed('verify-minimal').objects);

  it('resolves an address that reaches Prometheus', () => {
    expect(checkWiring([...base(), configMapWith('remote_write: http://prometheus.observability.svc:9090/api/v1/write')])).toEqual([]);
  });

  it('fails when the Service does not exist', () => {
    const problems = checkWiring([...base(), configMapWith('url: http://loki.observability.svc:3100')]);
    expect(problems).toEqual([expect.objectContaining({ object: 'ConfigMap observability/probe', path: '/data/x.yaml', message: expect.stringContaining('no Service observability/loki') })]);
  });

  it('fails when the Service does not expose the port', () => {
    const problems = checkWiring([...base(), configMapWith('url: http://prometheus.observability.svc:9091')]);
    expect(problems[0].message).toContain('does not expose port 9091');
  });

  it('fails when no selected container declares the target port', () => {
    const objects = base();
    objects.find((o) => o.kind === 'StatefulSet')!.spec.template.spec.containers[0].ports[0].name = 'web';
    const problems = checkWiring([...objects, configMapWith('url: http://prometheus.observability.svc:9090')]);
    expect(problems[0].message).toContain('declares target port "http-metrics"');
  });

  it('fails when the Service selects no pod', () => {
    const objects = base();
    objects.find((o) => o.kind === 'Service')!.spec.selector = { 'app.kubernetes.io/name': 'nothing' };
    const problems = checkWiring([...objects, configMapWith('url: http://prometheus.observability.svc:9090')]);
    expect(problems[0].message).toContain('selects no pod template');
  });

  it('resolves a StatefulSet pod by name on its headless Service (Prometheus and the peers reach each Alertmanager), and fails on a pod that does not run', () => {
    const objects = clone(configNamed('large').objects);
    const found = collectAddresses(objects).filter((a) => a.host.startsWith('alertmanager-'));
    // Prometheus's targets (9093) and the peers' --cluster.peer flags (9094).
    expect(found.map((a) => `${a.host}:${a.port}`).sort()).toEqual([0, 1].flatMap((i) => [9093, 9094].map((p) => `alertmanager-${i}.alertmanager-headless.observability.svc:${p}`)));
    const allowed = externalAllowed(configNamed('large').config);
    expect(checkWiring([...objects, configMapWith('targets: [alertmanager-1.alertmanager-headless.observability.svc:9093]')], allowed)).toEqual([]);
    const messages = (text: string) => checkWiring([...objects, configMapWith(text)], allowed).map((p) => p.message);
    expect(messages('targets: [alertmanager-2.alertmanager-headless.observability.svc:9093]')).toEqual([expect.stringContaining('runs 2 replica(s), so there is no pod alertmanager-2')]);
    expect(messages('targets: [alertmanager-0.alertmanager.observability.svc:9093]')).toEqual([expect.stringContaining('is not headless')]);
    expect(messages('targets: [alertmanager-0.alertmanager-headless.observability.svc:9095]')).toEqual([expect.stringContaining('does not expose port 9095')]);
  });

  it('resolves a short host in the referencing object\'s namespace, and fails in another', () => {
    expect(checkWiring([...base(), configMapWith('url: http://prometheus:9090')])).toEqual([]);
    expect(checkWiring([...base(), configMapWith('url: http://prometheus:9090', 'observability-agents')])).toHaveLength(1);
  });

  it('fails on an external URL that is not allow-listed, in env as well as in ConfigMaps', () => {
    const objects = base();
    objects.find((o) => o.kind === 'StatefulSet')!.spec.template.spec.containers[0].env = [{ name: 'URL', value: 'https://example.org/hook' }];
    const problems = checkWiring(objects);
    expect(problems).toEqual([expect.objectContaining({ path: '/spec/template/spec/containers/0/env/0/value', message: expect.stringContaining('externalEndpoints') })]);
    expect(checkWiring(objects, [{ host: 'example.org' }])).toEqual([]);
  });

  it('resolves a public URL served by an Ingress of the output through its backend, and fails on a broken backend', () => {
    const ingress = (port: object): KubeObject => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'observability' },
      spec: { rules: [{ host: 'prom.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'prometheus', port } } }] } }] },
    });
    const cm = configMapWith('root_url = https://prom.example.com/');
    expect(checkWiring([...base(), ingress({ name: 'http-metrics' }), cm])).toEqual([]);
    expect(checkWiring([...base(), ingress({ number: 8080 }), cm])[0].message).toContain('no resolvable backend');
  });

  it('ignores loopback addresses', () => {
    expect(checkWiring([...base(), configMapWith('listen: http://localhost:9090 http://0.0.0.0:80')])).toEqual([]);
  });

  it('dev: the Kafka bootstrap address of the frontend and the worker resolves to the Kafka Service and a port its pod declares', () => {
    const c = configNamed('dev');
    const bootstrap = collectAddresses(c.objects).filter((a) => /\/env\/\d+\/value$/.test(a.path) && a.object.kind === 'Deployment'
      && a.object.spec.template.spec.containers[0].env.some((e: { name: string; value?: string }) => e.name === 'KAFKA_BROKERS' && e.value === a.text));
    expect(bootstrap.map((a) => [a.object.metadata.name, a.host, a.port]).sort()).toEqual([
      ['demo-frontend', 'kafka.observability.svc', 9092],
      ['demo-worker', 'kafka.observability.svc', 9092],
    ]);
    for (const a of bootstrap) expect(resolveServicePort(c.objects, 'kafka', 'observability', a.port)).toBeUndefined();
    const svc = c.objects.find((o) => o.kind === 'Service' && o.metadata.name === 'kafka')!;
    const sts = c.objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'kafka')!;
    expect(svc.spec.selector).toEqual(sts.spec.selector.matchLabels);
    expect(sts.spec.template.spec.containers[0].ports).toContainEqual({ name: svc.spec.ports[0].targetPort, containerPort: 9092, protocol: 'TCP' });
  });

  it('fails when the Kafka container stops declaring the port the bootstrap address reaches', () => {
    const objects = clone(configNamed('dev').objects);
    objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'kafka')!.spec.template.spec.containers[0].ports[0].name = 'client';
    const problems = checkWiring(objects, externalAllowed(configNamed('dev').config));
    expect(problems.map((p) => p.object)).toEqual(['Deployment observability/demo-frontend', 'Deployment observability/demo-worker']);
    for (const p of problems) {
      const [, name, i] = /^Deployment observability\/(\S+)$/.exec(p.object)!.concat(/\/env\/(\d+)\/value$/.exec(p.path)![1]);
      const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
      expect(d.spec.template.spec.containers[0].env[Number(i)].name).toBe('KAFKA_BROKERS');
    }
    expect(problems[0].message).toContain('no container selected by Service observability/kafka declares target port "kafka"');
  });

  it('fails when a recorded wire points at a missing Service', () => {
    const c = configNamed('dev');
    const objects = clone(c.objects).filter((o) => !(o.kind === 'Service' && o.metadata.name === 'cadvisor'));
    const problems = checkWires(c.wires, objects);
    expect(problems).toEqual([expect.objectContaining({ object: 'wire prometheus -> cadvisor' })]);
  });
});
