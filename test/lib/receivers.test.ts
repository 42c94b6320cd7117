import { buildEndpoints, REGISTRY } from '../../src/components/registry';
import type { StackComponent } from '../../src/components/component';
import { resolveEnvironment } from '../../src/config/resolve';
import type { StackOverrides } from '../../src/config/types';
import { type ReceiverKind, stackReceiver, stackReceives, stackSends } from '../../src/lib/receivers';
import { WireLog } from '../../src/lib/wiring';
import { helmEndpoints } from '../../src/outputs/helm/services';
import { MAXIMAL_OVERRIDES } from '../support/maximal';

const KINDS: readonly ReceiverKind[] = ['metrics-remote-write', 'metrics-otlp', 'logs-otlp', 'traces-otlp-grpc', 'traces-otlp-http', 'otlp-grpc', 'otlp-http', 'alerts'];
const cfgOf = (overrides: StackOverrides = {}, profile: 'dev' | 'prod' | 'large' = 'dev') => resolveEnvironment({ name: 'x', profile, overrides }).config;

describe('stackReceiver', () => {
  test.each([['dev', cfgOf()], ['large', cfgOf({}, 'large')], ['maximal', cfgOf(MAXIMAL_OVERRIDES, 'prod')]])('with the %s config, every kind has its one store, its endpoint on that store', (_n, cfg) => {
    const eps = buildEndpoints(cfg);
    const stores = Object.fromEntries(KINDS.map((k) => [k, stackReceiver(k, cfg, eps)?.endpoint.component]));
    expect(stores).toEqual({
      'metrics-remote-write': 'prometheus', 'metrics-otlp': 'prometheus', 'logs-otlp': 'loki', 'traces-otlp-grpc': 'tempo', 'traces-otlp-http': 'tempo',
      'otlp-grpc': 'otlp-gateway', 'otlp-http': 'otlp-gateway', alerts: 'alertmanager',
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
    expect(stackReceiver('logs-otlp', cfg, buildEndpoints(cfg))?.headers).toEqual({ 'X-Scope-OrgID': 'team-a' });
    expect(stackReceiver('logs-otlp', cfgOf(), buildEndpoints(cfgOf()))?.headers).toEqual({});
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

  test('the OTLP gateway sends to every OTLP receiver some store serves; the example services send traces, or every signal to the receiver of them all', () => {
    expect(sent(cfgOf())).toEqual(['metrics-otlp', 'logs-otlp', 'traces-otlp-grpc', 'traces-otlp-http']);
    expect(sent(cfgOf({ otlpGateway: { enabled: false } }))).toEqual(['traces-otlp-http']);
    expect(sent(cfgOf({ otlpGateway: { enabled: false }, demo: { enabled: false } }))).toEqual([]);
    expect(sent(cfgOf({ loki: { enabled: false }, tempo: { receivers: { otlpGrpc: false } }, demo: { otlp: 'all' } }))).toEqual(['metrics-otlp', 'traces-otlp-http', 'otlp-http']);
  });

  test('asks enabled components only', () => {
    const cfg = cfgOf();
    const sender: StackComponent<string> = { id: 'sender', enabled: () => true, sends: () => ['alerts'] };
    expect(stackSends('alerts', cfg, buildEndpoints(cfg), [sender])).toBe(true);
    expect(stackSends('alerts', cfg, buildEndpoints(cfg), [{ ...sender, enabled: () => false }])).toBe(false);
  });
});
