/**
 * The example services' config slice: the schema (type and runtime check in one), its defaults, and what
 * each profile changes.
 */
import * as z from 'zod';
import { INT32_MAX, flag, image, listenPorts, nonNegative, obj, oneOf, positive, ratio, report, resourcesSchema, type ProfileChanges } from '../../config/fields';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

/** The services wait with `setTimeout`, which fires at once for delays above 2^31-1 ms. */
const MAX_DELAY_MS = INT32_MAX;

export const demoSchema = obj({
  enabled: flag(),
  /** The example services' image, built from services/demo (see README: docker build + kind load). */
  image: image({ repository: 'obs-stack/demo', tag: '0.1.0' }, { registryHost: false }),
  /** Listen port of every example service. */
  ports: listenPorts('demo', { http: 8080 }),
  resources: resourcesSchema,
  /** Fraction (0..1) of backend requests answered with HTTP 500. */
  errorRatio: ratio(0.3),
  /** Latency added to every backend request, in milliseconds. */
  latencyMs: nonNegative(0, MAX_DELAY_MS),
  /** Random extra latency (0..jitterMs) on every backend request, in milliseconds. */
  jitterMs: nonNegative(50, MAX_DELAY_MS),
  /** Duration of the backend's slow downstream step, in milliseconds. */
  slowStepMs: nonNegative(100, MAX_DELAY_MS),
  /** Requests per second the traffic generator sends to the frontend. */
  trafficRps: positive(2, 1_000_000),
  /**
   * `traces`: traces over OTLP to Tempo, metrics scraped from `/metrics`, logs on stdout (the log agent).
   * `all`: traces, metrics and logs over OTLP to the OTLP gateway (needs `otlpGateway.enabled`).
   */
  otlp: oneOf(['traces', 'all'], 'is not an OTLP mode', 'use "traces" (metrics scraped, logs on stdout) or "all" (every signal over OTLP to the gateway)'),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).readonly();

export type DemoConfig = z.infer<typeof demoSchema>;

export const DEMO_DEFAULTS: DemoConfig = {
  enabled: false,
  // Built from services/demo (see README: docker build + kind load); not pulled from a registry.
  image: { repository: 'obs-stack/demo', tag: '0.1.0' },
  ports: { http: 8080 },
  resources: { requests: { cpu: '20m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
  errorRatio: 0.3,
  latencyMs: 0,
  jitterMs: 50,
  slowStepMs: 100,
  trafficRps: 2,
  otlp: 'traces',
  pods: POD_DEFAULTS,
};

export const DEMO_PROFILES: ProfileChanges<DemoConfig> = {
  dev: { enabled: true },
};

/**
 * What the example services send to must run and listen: their traces go to Tempo's OTLP/HTTP receiver, or
 * with `otlp: "all"` every signal goes to the OTLP gateway, which forwards traces over Tempo's OTLP/gRPC or
 * OTLP/HTTP receiver.
 */
export function demoNeeds<T extends {
  readonly demo: { readonly enabled: boolean; readonly otlp: string };
  readonly tempo: { readonly enabled: boolean; readonly receivers: { readonly otlpGrpc: boolean; readonly otlpHttp: boolean } };
  readonly otlpGateway: { readonly enabled: boolean };
}>(cfg: T, ctx: z.RefinementCtx<T>): void {
  if (!cfg.demo.enabled) return;
  if (cfg.demo.otlp === 'all' && !cfg.otlpGateway.enabled) {
    report(ctx, ['demo', 'otlp'], cfg.demo.otlp, 'needs the OTLP gateway (otlpGateway.enabled is false)', 'set otlpGateway.enabled: true, or demo.otlp: "traces"');
  }
  if (!cfg.tempo.enabled) {
    report(ctx, ['demo', 'enabled'], cfg.demo.enabled, 'needs tempo.enabled (the example services export their traces to Tempo)', 'enable tempo or disable demo');
    return;
  }
  const r = cfg.tempo.receivers;
  if (cfg.demo.otlp !== 'all' && !r.otlpHttp) {
    report(ctx, ['tempo', 'receivers', 'otlpHttp'], r.otlpHttp, 'turns off the OTLP/HTTP receiver the example services (demo.enabled) export their traces to',
      'set tempo.receivers.otlpHttp: true, send every signal through the OTLP gateway (demo.otlp: "all" with otlpGateway.enabled: true), or disable demo');
  } else if (cfg.demo.otlp === 'all' && !r.otlpGrpc && !r.otlpHttp) {
    report(ctx, ['tempo', 'receivers'], r, 'has no OTLP receiver, so the OTLP gateway has nowhere to send the example services\' traces (demo.otlp: "all")',
      'set tempo.receivers.otlpGrpc or otlpHttp: true, or disable demo');
  }
}
