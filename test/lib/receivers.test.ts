import { buildEndpoints, COMPONENT_NAMES, REGISTRY } from '../../src/components/registry';
import type { StackComponent } from '../../src/components/component';
import { resolveEnvironment } from '../../src/config/resolve';
import type { StackOverrides } from '../../src/config/types';
import { type ReceiverKind, stackReceiver, stackReceives, stackSends } from '../../src/lib/receivers';
import type { Endpoint } from '../../src/lib/endpoints';
import { WireLog } from '../../src/lib/wiring';
import { buildStack } from '../../src/stack';
import { helmEndpoints } from '../../src/outputs/helm/services';
import { MAXIMAL_OVERRIDES } from '../support/maximal';

const KINDS: readonly ReceiverKind[] = ['metrics-remote-write', 'metrics-otlp', 'logs-otlp', 'traces-otlp-grpc', 'traces-otlp-http', 'otlp-grpc', 'otlp-http', 'alerts', 'logs-push'];
const cfgOf = (overrides: StackOverrides = {}, profile: 'dev' | 'prod' | 'large' = 'dev') => resolveEnvironment({ name: 'x', profile, overrides }).config;

describe('stackReceiver', () => {
  test.each([['dev', cfgOf()], ['large', cfgOf({}, 'large')], ['maximal', cfgOf(MAXIMAL_OVERRIDES, 'prod')]])('with the %s config, every kind has its one store, its endpoint on that store', (_n, cfg) => {
    const eps = buildEndpoints(cfg);
    const stores = Object.fromEntries(KINDS.map((k) => [k, stackReceiver(k, cfg, eps)?.endpoint.component]));
    expect(stores).toEqual({
      'metrics-remote-write': 'prometheus', 'metrics-otlp': 'prometheus', 'logs-otlp': 'loki', 'traces-otlp-grpc': 'tempo', 'traces-otlp-http': 'tempo',
      'otlp-grpc': 'otlp-gateway', 'otlp-http': 'otlp-gateway', alerts: 'alertmanager', 'logs-push': 'loki',
    });
  });

  test('alerts are received on every replica by its pod name, on the manifests\' and the Helm installation\'s headless Service', () => {
    const cfg = cfgOf({ alertmanager: { replicas: 2 } });
    const targets = (eps: ReturnType<typeof buildEndpoints>) => {
      const r = stackReceiver('alerts', cfg, eps)!;
      return r.target(new WireLog().connect('prometheus', r.endpoint, 'http', 'sends firing alerts'));
    };
    expect(targets(buildEndpoints(cfg))).toEqual([0, 1].map((i) => `http://alertmanager-${i}.alertmanager-headless.observability.svc:9093`));
    expect(targets(helmEndpoints(cfg))).toEqual([0, 1].map((i) => `http://prometheus-alertmanager-${i}.prometheus-alertmanager-headless.observability.svc:9093`));
    expect(stackReceives('alerts', cfg)).toBe(true);
    expect(stackReceives('alerts', cfgOf({ alertmanager: { enabled: false } }))).toBe(false);
  });

  test('follows each store\'s config: a receiver turned off or a store disabled receives nothing', () => {
    const noGrpc = cfgOf({ tempo: { receivers: { otlpGrpc: false } } });
    expect(stackReceiver('traces-otlp-grpc', noGrpc, buildEndpoints(noGrpc))).toBeUndefined();
    expect(stackReceiver('traces-otlp-http', noGrpc, buildEndpoints(noGrpc))?.note).toContain('its gRPC receiver is off');
    const noLoki = cfgOf({ loki: { enabled: false } });
    expect(stackReceiver('logs-otlp', noLoki, buildEndpoints(noLoki))).toBeUndefined();
    const noGateway = cfgOf({ otlpGateway: { enabled: false } });
    expect(stackReceiver('otlp-http', noGateway, buildEndpoints(noGateway))).toBeUndefined();
  });

  test('a multi-tenant Loki asks every sender for its tenant header', () => {
    const cfg = cfgOf({ loki: { tenant: 'team-a' } });
    for (const kind of ['logs-otlp', 'logs-push'] as const) {
      expect(stackReceiver(kind, cfg, buildEndpoints(cfg))?.headers).toEqual({ 'X-Scope-OrgID': 'team-a' });
      expect(stackReceiver(kind, cfgOf(), buildEndpoints(cfgOf()))?.headers).toEqual({});
    }
  });

  test('the push URL is Loki\'s push API on the write Service in simple-scalable mode', () => {
    const cfg = cfgOf({}, 'large');
    const r = stackReceiver('logs-push', cfg, buildEndpoints(cfg))!;
    expect(r.target(new WireLog().connect('alloy', r.endpoint, 'push', 'pushes container logs'))).toBe('http://loki-write.observability.svc:3100/loki/api/v1/push');
  });

  test('two enabled components receiving one kind are refused', () => {
    const cfg = cfgOf();
    const prometheus = REGISTRY.find((c) => c.id === 'prometheus')!;
    const twin: StackComponent<string> = { ...prometheus, id: 'twin' };
    expect(() => stackReceiver('metrics-otlp', cfg, buildEndpoints(cfg), [prometheus, twin])).toThrow('components prometheus and twin both receive metrics-otlp');
    expect(stackReceiver('metrics-otlp', cfg, buildEndpoints(cfg), [prometheus, { ...twin, enabled: () => false }])?.endpoint.component).toBe('prometheus');
  });
});

describe('stackSends', () => {
  const sent = (cfg: ReturnType<typeof cfgOf>) => KINDS.filter((k) => stackSends(k, cfg, buildEndpoints(cfg)));

  test('the OTLP gateway sends to every OTLP receiver some store serves, the example services traces or every signal, the metrics-generator remote-writes, Prometheus sends alerts, the log agent pushes', () => {
    expect(sent(cfgOf())).toEqual(['metrics-remote-write', 'metrics-otlp', 'logs-otlp', 'traces-otlp-grpc', 'traces-otlp-http', 'alerts', 'logs-push']);
    expect(sent(cfgOf({ otlpGateway: { enabled: false } }))).toEqual(['metrics-remote-write', 'traces-otlp-http', 'alerts', 'logs-push']);
    expect(sent(cfgOf({ otlpGateway: { enabled: false }, demo: { enabled: false }, tempo: { metricsGenerator: false }, alerts: { enabled: false } }))).toEqual(['logs-push']);
    expect(sent(cfgOf({ loki: { enabled: false }, tempo: { receivers: { otlpGrpc: false } }, demo: { otlp: 'all' } }))).toEqual(['metrics-remote-write', 'metrics-otlp', 'traces-otlp-http', 'otlp-http', 'alerts']);
  });

  test('asks enabled components only', () => {
    const cfg = cfgOf();
    const sender: StackComponent<string> = { id: 'sender', enabled: () => true, sends: () => ['alerts'] };
    expect(stackSends('alerts', cfg, buildEndpoints(cfg), [sender])).toBe(true);
    expect(stackSends('alerts', cfg, buildEndpoints(cfg), [{ ...sender, enabled: () => false }])).toBe(false);
  });
});

describe('sends', () => {
  const CONFIGS = [['dev', {}], ['maximal', MAXIMAL_OVERRIDES], ['without the OTLP gateway', { otlpGateway: { enabled: false } }]] as const;
  const builtWithReceivers = (overrides: StackOverrides) => {
    const build = buildStack(resolveEnvironment({ name: 'x', profile: 'dev', overrides }));
    const cfg = build.env.config;
    const at = (e: Endpoint): string => `${e.service}:${e.portName}`;
    const kindsAt = new Map<string, ReceiverKind[]>();
    for (const k of KINDS) {
      const r = stackReceiver(k, cfg, build.endpoints);
      if (r !== undefined) kindsAt.set(at(r.endpoint), [...(kindsAt.get(at(r.endpoint)) ?? []), k]);
    }
    const componentOf = (from: string): string => COMPONENT_NAMES.get(from) ?? from;
    return { build, cfg, at, kindsAt, componentOf };
  };

  test.each(CONFIGS)('%s: every wire to a receiver comes from a component that declares it sends to that kind', (_name, overrides) => {
    const { build, cfg, at, kindsAt, componentOf } = builtWithReceivers(overrides);
    // Reads, scrapes and a component's own replicas meeting are not deliveries; clients outside the stack declare nothing.
    const undeclared = build.wires.filter((w) => !['query', 'scrape', 'gossip'].includes(w.kind)).flatMap((w) => {
      const kinds = kindsAt.get(at(w.to));
      const id = componentOf(w.from);
      const sender = REGISTRY.find((c) => c.id === id);
      if (sender === undefined || kinds === undefined || id === w.to.component || componentOf(w.to.component) === id) return [];
      const sends = sender.sends?.(cfg, build.endpoints) ?? [];
      return kinds.some((k) => sends.includes(k)) ? [] : [`${id} wires to ${at(w.to)} (${w.kind} "${w.purpose}", which receives ${kinds.join(', ')}) but its sends lists ${JSON.stringify(sends)}`];
    });
    expect(undeclared).toEqual([]);
  });

  test.each(CONFIGS)('%s: every kind an enabled component declares it sends to has a receiver, and the sender is wired to it', (_name, overrides) => {
    const { build, cfg, at, componentOf } = builtWithReceivers(overrides);
    // A declaration without a wire would switch a receiver on (Prometheus's OTLP receiver) for nothing.
    const unwired = REGISTRY.filter((c) => c.enabled(cfg)).flatMap((c) => (c.sends?.(cfg, build.endpoints) ?? []).flatMap((kind) => {
      const receiver = stackReceiver(kind, cfg, build.endpoints);
      if (receiver === undefined) return [`${c.id} declares it sends to ${kind}, which no enabled component receives`];
      const wired = build.wires.some((w) => componentOf(w.from) === c.id && at(w.to) === at(receiver.endpoint));
      return wired ? [] : [`${c.id} declares it sends to ${kind} (${at(receiver.endpoint)}) but has no wire there`];
    }));
    expect(unwired).toEqual([]);
  });
});
