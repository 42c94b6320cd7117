/**
 * The example services' config slice: the schema (type and runtime check in one), its defaults, and what
 * each profile changes.
 */
import { z } from 'zod';
import { INT32_MAX, flag, image, listenPorts, nonNegative, obj, positive, ratio, report, resourcesSchema, type ProfileChanges } from '../../config/fields';
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
  pods: POD_DEFAULTS,
};

export const DEMO_PROFILES: ProfileChanges<DemoConfig> = {
  dev: { enabled: true },
};

/** The example services export their traces to Tempo, so they need it. */
export function demoNeedsTempo<T extends { readonly demo: { readonly enabled: boolean }; readonly tempo: { readonly enabled: boolean } }>(cfg: T, ctx: z.RefinementCtx<T>): void {
  if (cfg.demo.enabled && !cfg.tempo.enabled) {
    report(ctx, ['demo', 'enabled'], cfg.demo.enabled, 'needs tempo.enabled (the example services export their traces to Tempo)', 'enable tempo or disable demo');
  }
}
