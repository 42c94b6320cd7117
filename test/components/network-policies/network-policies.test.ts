import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentNeeds } from '../../../src/components/network-policies';
import { App } from 'cdk8s';
import { NetworkPolicies, componentNamespaces, networkPolicies, type NetworkPolicyInput } from '../../../src/components/network-policies/network-policies';
import { resolveEnvironment } from '../../../src/config/resolve';
import type { StackOverrides } from '../../../src/config/types';
import { REGISTRY, buildEndpoints, type ComponentName, type Endpoints } from '../../../src/components/registry';
import { Labeler } from '../../../src/lib/labels';
import { WireLog, type Wire, type WireSource } from '../../../src/lib/wiring';
import { PolicyEvaluator, inCidr, matchesSelector, pod, type Endpoint as NetpolEndpoint, type Pod } from '../../support/netpol';
import { buildEnv, objectsOf, type KubeObject } from '../../support/synth';
import { MAXIMAL_OVERRIDES } from '../../support/maximal';

const NS = 'observability';
const AGENTS = 'observability-agents';
const APP_NS = 'shop';

function policiesChart(profile: 'dev' | 'prod', overrides?: StackOverrides): KubeObject[] {
  return buildEnv(profile, overrides).charts.find((c) => c.node.id === 'network-policies')!.toJson() as KubeObject[];
}

/**
 * The wires the complete stack records once every component is merged, built from the same endpoint
 * registry: the generator must turn each into a policy pair without knowing any of them.
 */
function fullStackWires(eps: Endpoints): Wire[] {
  const w = new WireLog();
  w.connect('prometheus', eps.prometheus.http, 'scrape', 'self');
  w.connect('prometheus', eps.cadvisor.http, 'scrape', 'container metrics');
  w.connect('prometheus', eps.loki.http, 'scrape', 'loki metrics');
  w.connect('prometheus', eps.tempo.http, 'scrape', 'tempo metrics');
  w.connect('prometheus', eps.grafana.http, 'scrape', 'grafana metrics');
  w.connect('prometheus', eps.promtail.http, 'scrape', 'promtail metrics');
  w.connect('prometheus', eps.demoFrontend.http, 'scrape', 'demo metrics');
  w.connect('grafana', eps.prometheus.http, 'query', 'metrics datasource');
  w.connect('grafana', eps.loki.http, 'query', 'logs datasource');
  w.connect('grafana', eps.tempo.http, 'query', 'traces datasource');
  w.connect('promtail', eps.loki.http, 'push', 'ships logs');
  w.connect('alloy', eps.loki.http, 'push', 'ships logs');
  w.connect('tempo', eps.prometheus.http, 'remote-write', 'span metrics');
  w.connect('cluster-workloads', eps.tempo.otlpGrpc, 'otlp', 'app traces');
  w.connect('cluster-workloads', eps.tempo.otlpHttp, 'otlp', 'app traces');
  w.connect('demo-frontend', eps.demoBackend.http, 'http', 'calls the backend');
  w.connect('demo-frontend', eps.tempo.otlpHttp, 'otlp', 'demo traces');
  w.connect('demo-backend', eps.tempo.otlpHttp, 'otlp', 'demo traces');
  w.connect('demo-frontend', eps.kafka.client, 'kafka', 'publishes order events');
  w.connect('demo-worker', eps.kafka.client, 'kafka', 'consumes order events');
  w.connect('demo-worker', eps.tempo.otlpHttp, 'otlp', 'demo traces');
  w.connect('prometheus', eps.demoWorker.http, 'scrape', 'demo metrics');
  return [...w.wires];
}

interface World {
  readonly input: NetworkPolicyInput;
  readonly objects: KubeObject[];
  readonly eval: PolicyEvaluator;
  readonly podOf: (c: WireSource) => Pod;
  readonly dns: Pod;
  readonly ingressController: Pod;
  readonly annotatedApp: Pod;
}

/** The wire the stack records when Grafana has an Ingress. */
const ingressWire = (eps: Endpoints): Wire => ({ from: 'ingress-controller', to: eps.grafana.http, kind: 'http', purpose: 'serves Grafana through the Ingress' });

function world(opts: { ingress?: boolean; annotated?: boolean; drop?: string[]; wires?: (eps: Endpoints) => Wire[] } = {}): World {
  const cfg = resolveEnvironment({ name: 'dev', profile: 'dev' }).config;
  const eps = buildEndpoints(cfg);
  const labeler = new Labeler('dev', {});
  const input: NetworkPolicyInput = {
    wires: [...(opts.wires ?? fullStackWires)(eps), ...(opts.ingress ? [ingressWire(eps)] : [])],
    endpoints: eps,
    namespace: NS,
    agentNamespace: AGENTS,
    labeler,
    config: cfg.networkPolicy,
    apiClients: [
      { name: 'prometheus', namespace: NS, podSelector: labeler.selector('prometheus') },
      { name: 'promtail', namespace: AGENTS, podSelector: labeler.selector('promtail') },
    ],
    annotatedPodScrapers: opts.annotated === false ? [] : ['prometheus'],
  };
  const chart = new NetworkPolicies(new App(), 'network-policies', input);
  const objects = (chart.toJson() as KubeObject[]).filter((o) => !(opts.drop ?? []).includes(`${o.metadata.namespace}/${o.metadata.name}`));
  const pods = new Map<WireSource, Pod>();
  const nsOf = componentNamespaces(eps);
  const ingressController = pod('ingress-nginx-controller', 'ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' });
  pods.set('cluster-workloads', pod('checkout', APP_NS, { app: 'checkout' }));
  pods.set('ingress-controller', ingressController);
  const podOf = (c: WireSource): Pod => {
    if (!pods.has(c)) pods.set(c, pod(c, nsOf.get(c as ComponentName)!, { ...labeler.selector(c), 'app.kubernetes.io/version': '1.0' }));
    return pods.get(c)!;
  };
  return {
    input, objects, eval: new PolicyEvaluator(objects), podOf,
    dns: pod('coredns', 'kube-system', { 'k8s-app': 'kube-dns' }),
    ingressController,
    annotatedApp: pod('payments', 'payments', { app: 'payments' }),
  };
}

const COMPONENTS: ComponentName[] = ['prometheus', 'cadvisor', 'loki', 'promtail', 'alloy', 'tempo', 'grafana', 'demo-frontend', 'demo-backend', 'demo-worker', 'kafka'];
const API_SERVER = { name: 'kube-apiserver', ip: '172.18.0.2' };
/** A node's address (kind puts nodes on 172.18.0.0/16): the kubelet and host-network pods listen here. */
const NODE = { name: 'node kind-worker', ip: '172.18.0.3' };
const INTERNET = { name: 'example.com', ip: '93.184.216.34' };

describe('network policies', () => {
  test('deny ingress and egress by default in both namespaces', () => {
    const objects = policiesChart('dev');
    for (const ns of [NS, AGENTS]) {
      const deny = objects.find((o) => o.metadata.name === 'default-deny' && o.metadata.namespace === ns)!;
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
  });

  test('are not generated when networkPolicy.enabled is false', () => {
    const build = buildEnv('dev', { networkPolicy: { enabled: false } });
    expect(objectsOf(build).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
  });

  test('let the ingress controller reach Grafana through the wire the stack records for the Ingress, where networkPolicy.ingressController says', () => {
    const build = buildEnv('prod', MAXIMAL_OVERRIDES as StackOverrides);
    const grafanaPort = build.endpoints.grafana.http.port;
    expect(build.wires.filter((w) => w.from === 'ingress-controller').map((w) => [w.to.component, w.to.port, w.kind]))
      .toEqual([['grafana', grafanaPort, 'http']]);
    const ev = new PolicyEvaluator(objectsOf(build));
    const grafana = pod('grafana', build.env.config.common.namespace, { 'app.kubernetes.io/name': 'grafana', 'app.kubernetes.io/instance': build.env.name });
    const { namespace, podSelector } = build.env.config.networkPolicy.ingressController;
    expect(ev.allowed({ from: pod('controller', namespace, { ...podSelector }), to: grafana, port: grafanaPort })).toBe(true);
    expect(ev.allowed({ from: pod('other', namespace, { app: 'other' }), to: grafana, port: grafanaPort })).toBe(false);
    expect(ev.allowed({ from: pod('controller', 'elsewhere', { ...podSelector }), to: grafana, port: grafanaPort })).toBe(false);
    // Without an Ingress there is no such wire, and no such rule.
    expect(buildEnv('prod').wires.some((w) => w.from === 'ingress-controller')).toBe(false);
  });

  describe.each([
    ['dev', {}], ['prod', {}], ['dev', MAXIMAL_OVERRIDES], ['prod', MAXIMAL_OVERRIDES],
  ] as const)('in the %s build (%#)', (profile, overrides) => {
    const build = buildEnv(profile, overrides as StackOverrides);
    const objects = objectsOf(build);
    const ev = new PolicyEvaluator(objects);
    const nsOf = componentNamespaces(build.endpoints);
    // The demo traffic generator is a pure client: it lives beside the other example services.
    nsOf.set('demo-traffic', build.env.config.common.namespace);
    const ic = build.env.config.networkPolicy.ingressController;
    const podFor = (c: WireSource): Pod => {
      if (c === 'cluster-workloads') return pod('checkout', APP_NS, {});
      if (c === 'ingress-controller') return pod('ingress-controller', ic.namespace, { ...ic.podSelector });
      return pod(c, nsOf.get(c)!, { 'app.kubernetes.io/name': c, 'app.kubernetes.io/instance': build.env.name });
    };

    // Where a wire's listener really is: a stack pod, a node address (kubelet, host-network pods), a pod the
    // cluster runs (CoreDNS), or the API server (reached on its own port, not the Service's).
    const destFor = (w: Wire): { to: NetpolEndpoint; port: number } => {
      const peer = w.to.peer;
      if (peer?.kind === 'nodes') return { to: NODE, port: w.to.port };
      if (peer?.kind === 'cluster-pods') return { to: pod(w.to.component, w.to.namespace, { ...peer.podSelector }), port: w.to.port };
      if (peer?.kind === 'api-server') return { to: API_SERVER, port: build.env.config.networkPolicy.kubeApiServer.ports[0] };
      return { to: podFor(w.to.component), port: w.to.port };
    };

    test.each(build.wires.map((w) => [`${w.from} -> ${w.to.component}:${w.to.port} (${w.kind})`, w] as const))('allow the wired flow %s', (_n, w) => {
      const d = destFor(w);
      expect(ev.evaluate({ from: podFor(w.from), to: d.to, port: d.port })).toEqual({ allowed: true, egress: true, ingress: true });
    });

    test('let every workload pod resolve names, and only token-mounting pods reach the API server', () => {
      const dns = pod('coredns', 'kube-system', { 'k8s-app': 'kube-dns' });
      for (const w of objects.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))) {
        const p = pod(w.metadata.name, w.metadata.namespace!, w.spec.template.metadata.labels);
        expect(ev.allowed({ from: p, to: dns, port: 53, protocol: 'UDP' })).toBe(true);
        expect(ev.allowed({ from: p, to: dns, port: 53, protocol: 'TCP' })).toBe(true);
        const mountsToken = w.spec.template.spec.automountServiceAccountToken !== false;
        expect([w.metadata.name, ev.allowed({ from: p, to: API_SERVER, port: 6443 })]).toEqual([w.metadata.name, mountsToken]);
        expect(ev.allowed({ from: p, to: INTERNET, port: 80 })).toBe(false);
      }
    });
  });

  describe('the Kafka hop in the dev build', () => {
    const build = buildEnv('dev');
    const ev = new PolicyEvaluator(objectsOf(build));
    const ns = build.env.config.common.namespace;
    const podOf = (name: string): Pod => pod(name, ns, { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': build.env.name });
    const kafka = podOf('kafka');
    const { client } = build.endpoints.kafka;
    const controller = build.env.config.kafka.ports.controller;

    test('let the producer (frontend) and the consumer (worker) reach the broker\'s client port', () => {
      expect(ev.evaluate({ from: podOf('demo-frontend'), to: kafka, port: client.port })).toEqual({ allowed: true, egress: true, ingress: true });
      expect(ev.evaluate({ from: podOf('demo-worker'), to: kafka, port: client.port })).toEqual({ allowed: true, egress: true, ingress: true });
    });

    test('allow nothing else to or from the broker, and no shortcut from producer to consumer', () => {
      const others = ['demo-backend', 'demo-traffic', 'prometheus', 'grafana', 'loki', 'tempo'];
      const denied: Array<[string, Pod, Pod, number]> = [
        ...others.map((o): [string, Pod, Pod, number] => [`${o} -> kafka`, podOf(o), kafka, client.port]),
        ['an application -> kafka', pod('checkout', APP_NS, { app: 'checkout' }), kafka, client.port],
        ['frontend -> kafka controller port', podOf('demo-frontend'), kafka, controller],
        ['worker -> kafka controller port', podOf('demo-worker'), kafka, controller],
        ['frontend -> worker', podOf('demo-frontend'), podOf('demo-worker'), 8080],
        ['worker -> frontend', podOf('demo-worker'), podOf('demo-frontend'), 8080],
        ['worker -> backend', podOf('demo-worker'), podOf('demo-backend'), 8080],
        ...['demo-worker', 'demo-frontend', 'tempo', 'prometheus'].map((o): [string, Pod, Pod, number] => [`kafka -> ${o}`, kafka, podOf(o), 8080]),
        ['kafka -> tempo OTLP', kafka, podOf('tempo'), build.endpoints.tempo.otlpHttp.port],
        ['kafka -> the internet', kafka, { name: 'example.com', ip: '93.184.216.34' } as never, 443],
      ];
      expect(denied.filter(([, from, to, port]) => ev.allowed({ from, to, port })).map(([n]) => n)).toEqual([]);
    });

    test('let the worker send traces to Tempo and Prometheus scrape it', () => {
      expect(ev.allowed({ from: podOf('demo-worker'), to: podOf('tempo'), port: build.endpoints.tempo.otlpHttp.port })).toBe(true);
      expect(ev.allowed({ from: podOf('prometheus'), to: podOf('demo-worker'), port: build.endpoints.demoWorker.http.port })).toBe(true);
    });
  });

  describe('with every component wired (the complete stack)', () => {
    const w = world({ ingress: false });

    test.each(w.input.wires.map((x) => [`${x.from} -> ${x.to.component}:${x.to.port} (${x.kind})`, x] as const))('allow %s', (_n, x) => {
      expect(w.eval.evaluate({ from: w.podOf(x.from), to: w.podOf(x.to.component), port: x.to.port })).toEqual({ allowed: true, egress: true, ingress: true });
    });

    test('allow nothing else between the stack\'s pods, on any of their ports', () => {
      const ports = [...new Set(Object.values(w.input.endpoints).flatMap((g) => Object.values(g as Record<string, { port: number }>).map((e) => e.port)))];
      const wired = new Set(w.input.wires.map((x) => `${x.from}>${x.to.component}:${x.to.port}`));
      const unexpected: string[] = [];
      for (const src of COMPONENTS) for (const dst of COMPONENTS) for (const port of ports) {
        const allowed = w.eval.allowed({ from: w.podOf(src), to: w.podOf(dst), port });
        if (allowed !== wired.has(`${src}>${dst}:${port}`)) unexpected.push(`${src} -> ${dst}:${port} ${allowed ? 'allowed' : 'denied'}`);
      }
      expect(unexpected).toEqual([]);
    });

    test.each([
      ['cadvisor -> prometheus', 'cadvisor', 'prometheus', 9090],
      ['grafana -> cadvisor', 'grafana', 'cadvisor', 8080],
      ['prometheus -> tempo OTLP/HTTP', 'prometheus', 'tempo', 4318],
      ['prometheus -> tempo OTLP/gRPC', 'prometheus', 'tempo', 4317],
      ['an application -> grafana (no Ingress)', 'cluster-workloads', 'grafana', 3000],
      ['an application -> prometheus', 'cluster-workloads', 'prometheus', 9090],
      ['an application -> loki', 'cluster-workloads', 'loki', 3100],
      ['promtail -> prometheus', 'promtail', 'prometheus', 9090],
      ['grafana -> loki on its gRPC port', 'grafana', 'loki', 9095],
    ] as const)('deny %s', (_n, from, to, port) => {
      expect(w.eval.allowed({ from: w.podOf(from), to: w.podOf(to), port })).toBe(false);
    });

    test('let applications send traces only to the OTLP ports they are wired to', () => {
      const app = w.podOf('cluster-workloads');
      expect(w.eval.allowed({ from: app, to: w.podOf('tempo'), port: 4317 })).toBe(true);
      expect(w.eval.allowed({ from: app, to: w.podOf('tempo'), port: 3200 })).toBe(false);
    });

    test('let Prometheus scrape annotated pods of other namespaces on any port, and only Prometheus', () => {
      expect(w.eval.allowed({ from: w.podOf('prometheus'), to: w.annotatedApp, port: 8080 })).toBe(true);
      expect(w.eval.allowed({ from: w.podOf('prometheus'), to: w.annotatedApp, port: 9102 })).toBe(true);
      expect(w.eval.allowed({ from: w.podOf('grafana'), to: w.annotatedApp, port: 8080 })).toBe(false);
      expect(w.eval.allowed({ from: w.podOf('prometheus'), to: INTERNET, port: 80 })).toBe(false);
      const off = world({ annotated: false });
      expect(off.eval.allowed({ from: off.podOf('prometheus'), to: off.annotatedApp, port: 8080 })).toBe(false);
    });

    test('let host agents be scraped by Prometheus and reach Loki', () => {
      expect(w.eval.allowed({ from: w.podOf('prometheus'), to: w.podOf('cadvisor'), port: 8080 })).toBe(true);
      expect(w.eval.allowed({ from: w.podOf('prometheus'), to: w.podOf('promtail'), port: 3101 })).toBe(true);
      expect(w.eval.allowed({ from: w.podOf('promtail'), to: w.podOf('loki'), port: 3100 })).toBe(true);
    });

    test('let the API server be reached only by pods that call it', () => {
      expect(w.eval.allowed({ from: w.podOf('prometheus'), to: API_SERVER, port: 6443 })).toBe(true);
      expect(w.eval.allowed({ from: w.podOf('promtail'), to: API_SERVER, port: 443 })).toBe(true);
      expect(w.eval.allowed({ from: w.podOf('grafana'), to: API_SERVER, port: 6443 })).toBe(false);
      expect(w.eval.allowed({ from: w.podOf('prometheus'), to: API_SERVER, port: 10250 })).toBe(false);
    });

    test('let the ingress controller reach Grafana only when the Ingress is on', () => {
      expect(w.eval.allowed({ from: w.ingressController, to: w.podOf('grafana'), port: 3000 })).toBe(false);
      const on = world({ ingress: true });
      expect(on.eval.allowed({ from: on.ingressController, to: on.podOf('grafana'), port: 3000 })).toBe(true);
      expect(on.eval.allowed({ from: on.ingressController, to: on.podOf('prometheus'), port: 9090 })).toBe(false);
      expect(on.eval.allowed({ from: on.podOf('cluster-workloads'), to: on.podOf('grafana'), port: 3000 })).toBe(false);
    });

    test('give Grafana an ingress policy from the controller even when nothing else is wired to it', () => {
      const on = world({ ingress: true, wires: (eps) => [{ from: 'prometheus', to: eps.prometheus.http, kind: 'scrape', purpose: 'self' }] });
      expect(on.eval.allowed({ from: on.ingressController, to: on.podOf('grafana'), port: 3000 })).toBe(true);
    });

    test('write no policy for the ingress controller itself, and keep its rule after the stack\'s own sources', () => {
      const on = world({ ingress: true });
      const names = on.objects.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
      expect(names.filter((n) => n.includes('ingress-controller'))).toEqual([]);
      const grafana = on.objects.find((o) => o.metadata.name === 'grafana-ingress')!;
      expect(grafana.spec.ingress.at(-1)).toEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: {} } }],
        ports: [{ protocol: 'TCP', port: 3000 }],
      });
    });
  });

  describe('the evaluator', () => {
    test('fails a wired flow when its ingress policy is removed', () => {
      const w = world({ drop: [`${AGENTS}/cadvisor-ingress`] });
      expect(w.eval.evaluate({ from: w.podOf('prometheus'), to: w.podOf('cadvisor'), port: 8080 })).toEqual({ allowed: false, egress: true, ingress: false });
    });

    test('fails a wired flow when its egress policy is removed', () => {
      const w = world({ drop: [`${NS}/grafana-egress`] });
      expect(w.eval.evaluate({ from: w.podOf('grafana'), to: w.podOf('loki'), port: 3100 })).toEqual({ allowed: false, egress: false, ingress: true });
    });

    test('fails DNS when the DNS policy is removed', () => {
      const w = world({ drop: [`${NS}/allow-dns`] });
      expect(w.eval.allowed({ from: w.podOf('grafana'), to: w.dns, port: 53, protocol: 'UDP' })).toBe(false);
    });

    test('allows everything where no policy selects the pods', () => {
      const ev = new PolicyEvaluator([]);
      expect(ev.allowed({ from: pod('a', 'x', {}), to: pod('b', 'y', {}), port: 1 })).toBe(true);
    });

    test('reads selectors, peers without namespaceSelector and CIDRs per Kubernetes semantics', () => {
      expect(matchesSelector({ matchExpressions: [{ key: 'k', operator: 'NotIn', values: ['a'] }] }, { k: 'b' })).toBe(true);
      expect(matchesSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['a'] }] }, {})).toBe(false);
      expect(matchesSelector({ matchLabels: { k: 'a' } }, { k: 'a', x: 'y' })).toBe(true);
      expect(inCidr('10.1.2.3', '10.0.0.0/8')).toBe(true);
      expect(inCidr('11.1.2.3', '10.0.0.0/8')).toBe(false);
      // A podSelector-only peer means pods of the policy's own namespace.
      const policy: KubeObject = {
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'a' },
        spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { role: 'x' } } }] }] },
      };
      const ev = new PolicyEvaluator([policy]);
      expect(ev.allowed({ from: pod('s', 'a', { role: 'x' }), to: pod('d', 'a', {}), port: 80 })).toBe(true);
      expect(ev.allowed({ from: pod('s', 'b', { role: 'x' }), to: pod('d', 'a', {}), port: 80 })).toBe(false);
    });
  });

  test('are generated from the wires only: no wire, no allow rule', () => {
    const cfg = resolveEnvironment({ name: 'dev', profile: 'dev' }).config;
    const eps = buildEndpoints(cfg);
    const names = networkPolicies({
      wires: [], endpoints: eps, namespace: NS, agentNamespace: AGENTS, labeler: new Labeler('dev', {}), config: cfg.networkPolicy, apiClients: [],
    }).map((p) => `${p.metadata!.namespace}/${p.metadata!.name}`);
    expect(names).toEqual([`${NS}/default-deny`, `${NS}/allow-dns`, `${AGENTS}/default-deny`, `${AGENTS}/allow-dns`]);
  });

  test('use the configured DNS selector, port and API server addresses', () => {
    const objects = policiesChart('dev', {
      networkPolicy: {
        dns: { namespace: 'dns', podSelector: { app: 'coredns' }, port: 5353 },
        kubeApiServer: { cidrs: ['172.18.0.2/32'], ports: [6443] },
      },
    });
    const ev = new PolicyEvaluator(objects);
    const prom = pod('prometheus', NS, { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'test-dev' });
    // cAdvisor: neither a scraper (Prometheus may reach any pod) nor an API client.
    const cadvisor = pod('cadvisor', AGENTS, { 'app.kubernetes.io/name': 'cadvisor', 'app.kubernetes.io/instance': 'test-dev' });
    expect(ev.allowed({ from: cadvisor, to: pod('c', 'dns', { app: 'coredns' }), port: 5353, protocol: 'UDP' })).toBe(true);
    expect(ev.allowed({ from: cadvisor, to: pod('c', 'kube-system', { 'k8s-app': 'kube-dns' }), port: 53, protocol: 'UDP' })).toBe(false);
    expect(ev.allowed({ from: prom, to: API_SERVER, port: 6443 })).toBe(true);
    expect(ev.allowed({ from: prom, to: { name: 'other', ip: '172.18.0.3' }, port: 6443 })).toBe(false);
    expect(ev.allowed({ from: prom, to: API_SERVER, port: 443 })).toBe(false);
  });

  test('by default let token-mounting pods reach any address on the API server ports only (the documented trade-off)', () => {
    const ev = new PolicyEvaluator(policiesChart('dev'));
    const prom = pod('prometheus', NS, { 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'test-dev' });
    expect(ev.allowed({ from: prom, to: INTERNET, port: 443 })).toBe(true);
    expect(ev.allowed({ from: prom, to: INTERNET, port: 80 })).toBe(false);
  });

  describe('cluster monitoring flows (Prometheus -> kubelet and node-exporter on node addresses, -> API server, -> CoreDNS)', () => {
    // Annotated-pod scraping off: it opens Prometheus's egress to every pod, which would hide the CoreDNS rule.
    const narrowed = { prometheus: { scrapeAnnotatedPods: false }, networkPolicy: { nodes: { cidrs: ['172.18.0.0/16'] } } } as StackOverrides;
    const build = buildEnv('dev', narrowed);
    const cfg = build.env.config;
    const objects = objectsOf(build);
    const ev = new PolicyEvaluator(objects);
    const stackPod = (name: string, ns: string) => pod(name, ns, { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': build.env.name });
    const prom = stackPod('prometheus', NS);
    const grafana = stackPod('grafana', NS);
    const ksm = stackPod('kube-state-metrics', NS);
    const coredns = pod('coredns-5d78c9869d-abcde', cfg.networkPolicy.dns.namespace, { ...cfg.networkPolicy.dns.podSelector, 'pod-template-hash': '5d78c9869d' });
    const kubelet = cfg.kubernetes.kubelet.port;
    const nodeExporter = cfg.nodeExporter.port;

    test('records a wire for each new flow, so the diagram and the policies know them', () => {
      const wires = build.wires.filter((w) => w.from === 'prometheus').map((w) => `${w.to.component}:${w.to.port}:${w.to.peer?.kind ?? 'stack-pods'}`);
      expect(wires).toEqual(expect.arrayContaining([
        `kubelet:${kubelet}:nodes`, `node-exporter:${nodeExporter}:nodes`, 'kube-apiserver:443:api-server',
        `coredns:${cfg.kubernetes.coredns.port}:cluster-pods`, `kube-state-metrics:${cfg.kubeStateMetrics.port}:stack-pods`,
      ]));
    });

    test('let Prometheus reach the kubelet and node-exporter on node addresses, on exactly their ports', () => {
      expect(ev.allowed({ from: prom, to: NODE, port: kubelet })).toBe(true);
      expect(ev.allowed({ from: prom, to: NODE, port: nodeExporter })).toBe(true);
      expect(ev.allowed({ from: prom, to: NODE, port: 22 })).toBe(false);
      expect(ev.allowed({ from: prom, to: NODE, port: 10255 })).toBe(false);
      // Outside networkPolicy.nodes.cidrs: not a node.
      expect(ev.allowed({ from: prom, to: { name: 'elsewhere', ip: '10.1.2.3' }, port: kubelet })).toBe(false);
      // Only Prometheus.
      expect(ev.allowed({ from: grafana, to: NODE, port: kubelet })).toBe(false);
      expect(ev.allowed({ from: ksm, to: NODE, port: nodeExporter })).toBe(false);
    });

    test('express node addresses as ipBlocks from networkPolicy.nodes.cidrs in Prometheus\'s egress policy', () => {
      const egress = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'prometheus-egress')!;
      const toNodes = egress.spec.egress.filter((r: { to: Array<{ ipBlock?: { cidr: string } }> }) => r.to.some((p) => p.ipBlock?.cidr === '172.18.0.0/16'));
      expect(toNodes.flatMap((r: { ports: Array<{ port: number }> }) => r.ports.map((p) => p.port)).sort()).toEqual([nodeExporter, kubelet].sort());
    });

    test('let Prometheus scrape CoreDNS pods on the metrics port only, and nobody else', () => {
      expect(ev.allowed({ from: prom, to: coredns, port: cfg.kubernetes.coredns.port })).toBe(true);
      expect(ev.allowed({ from: prom, to: coredns, port: 8080 })).toBe(false);
      expect(ev.allowed({ from: prom, to: pod('metrics-server', cfg.networkPolicy.dns.namespace, { 'k8s-app': 'metrics-server' }), port: cfg.kubernetes.coredns.port })).toBe(false);
      expect(ev.allowed({ from: grafana, to: coredns, port: cfg.kubernetes.coredns.port })).toBe(false);
    });

    test('let Prometheus and kube-state-metrics (token holders) reach the API server, on its ports only', () => {
      for (const from of [prom, ksm]) {
        expect(ev.allowed({ from, to: API_SERVER, port: 6443 })).toBe(true);
        expect(ev.allowed({ from, to: API_SERVER, port: 2379 })).toBe(false);
      }
      expect(ev.allowed({ from: grafana, to: API_SERVER, port: 6443 })).toBe(false);
    });

    test('admit only Prometheus to kube-state-metrics, and only on the port it scrapes (not telemetry)', () => {
      expect(ev.allowed({ from: prom, to: ksm, port: cfg.kubeStateMetrics.port })).toBe(true);
      expect(ev.allowed({ from: prom, to: ksm, port: cfg.kubeStateMetrics.telemetryPort })).toBe(false);
      expect(ev.allowed({ from: grafana, to: ksm, port: cfg.kubeStateMetrics.port })).toBe(false);
    });

    test('write no policy into the cluster\'s own namespaces, and none for the kubelet', () => {
      const namespaces = new Set(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.namespace));
      expect([...namespaces].sort()).toEqual([NS, AGENTS].sort());
      expect(objects.filter((o) => o.kind === 'NetworkPolicy' && /kubelet|coredns|kube-apiserver/.test(o.metadata.name))).toEqual([]);
    });

    test('keep node-exporter\'s own ingress policy (for plugins that police host-network pods)', () => {
      const ingress = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'node-exporter-ingress' && o.metadata.namespace === AGENTS)!;
      expect(ingress.spec.ingress).toEqual([expect.objectContaining({ ports: [{ protocol: 'TCP', port: nodeExporter }] })]);
    });

    test('fails the kubelet flow when the node CIDRs do not cover the node (the check can fail)', () => {
      const other = new PolicyEvaluator(objectsOf(buildEnv('dev', { ...narrowed, networkPolicy: { nodes: { cidrs: ['192.168.0.0/24'] } } } as StackOverrides)));
      expect(other.evaluate({ from: prom, to: NODE, port: kubelet })).toEqual({ allowed: false, egress: false, ingress: true });
    });
  });
});


describe('what components ask of the policies (StackComponent.networkPolicy)', () => {
  const needs = (o: StackOverrides = {}) => componentNeeds(resolveEnvironment({ name: 'dev', profile: 'dev', overrides: o }).config);

  test('each need comes from the enabled component that has it, in registry order', () => {
    expect(needs().annotatedPodScrapers).toEqual(['prometheus']);
    expect(needs({ prometheus: { scrapeAnnotatedPods: false } }).annotatedPodScrapers).toEqual([]);
    expect(needs().clientNamespaces).toEqual({ 'demo-traffic': 'observability' });
    expect(needs({ demo: { enabled: false } }).clientNamespaces).toEqual({});
    expect(needs().extraEgress.map((e) => e.from)).toEqual(['prometheus']);
  });

  test('the NetworkPolicies\' descriptor names no component: each asks for what it needs', () => {
    const source = readFileSync(join(__dirname, '../../../src/components/network-policies/index.ts'), 'utf8');
    const others = REGISTRY.map((c) => c.id).filter((id) => !['00-namespaces', 'network-policies'].includes(id));
    expect(others.filter((id) => new RegExp(`\\b${id}\\b`, 'i').test(source))).toEqual([]);
  });
});
