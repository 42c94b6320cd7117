import { buildEndpoints, REGISTRY } from '../../src/components/registry';
import type { StackComponent } from '../../src/components/component';
import { resolveEnvironment } from '../../src/config/resolve';
import type { StackOverrides } from '../../src/config/types';
import { type ReceiverKind, stackReceiver } from '../../src/lib/receivers';
import { WireLog } from '../../src/lib/wiring';
import { MAXIMAL_OVERRIDES } from '../support/maximal';

const KINDS: readonly ReceiverKind[] = ['metrics-remote-write', 'metrics-otlp', 'logs-otlp', 'traces-otlp-grpc', 'traces-otlp-http', 'logs-push'];
const cfgOf = (overrides: StackOverrides = {}, profile: 'dev' | 'prod' | 'large' = 'dev') => resolveEnvironment({ name: 'x', profile, overrides }).config;

describe('stackReceiver', () => {
  test.each([['dev', cfgOf()], ['large', cfgOf({}, 'large')], ['maximal', cfgOf(MAXIMAL_OVERRIDES, 'prod')]])('with the %s config, every kind has its one store, its endpoint on that store', (_n, cfg) => {
    const eps = buildEndpoints(cfg);
    const stores = Object.fromEntries(KINDS.map((k) => [k, stackReceiver(k, cfg, eps)?.endpoint.component]));
    expect(stores).toEqual({
      'metrics-remote-write': 'prometheus', 'metrics-otlp': 'prometheus', 'logs-otlp': 'loki', 'traces-otlp-grpc': 'tempo', 'traces-otlp-http': 'tempo',
      'logs-push': 'loki',
    });
  });

  test('follows each store\'s config: a receiver turned off or a store disabled receives nothing', () => {
    const noGrpc = cfgOf({ tempo: { receivers: { otlpGrpc: false } } });
    expect(stackReceiver('traces-otlp-grpc', noGrpc, buildEndpoints(noGrpc))).toBeUndefined();
    expect(stackReceiver('traces-otlp-http', noGrpc, buildEndpoints(noGrpc))?.note).toContain('its gRPC receiver is off');
    const noLoki = cfgOf({ loki: { enabled: false } });
    expect(stackReceiver('logs-otlp', noLoki, buildEndpoints(noLoki))).toBeUndefined();
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
