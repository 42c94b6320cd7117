/**
 * The backend: answers the frontend's inventory lookups, with the faults the config injects - added
 * latency and jitter, a slow downstream step (its own span), and a ratio of HTTP 500s.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Route } from './server';
import type { Settings } from './settings';

export const BACKEND_ROUTE = '/api/inventory/:sku';

const tracer = trace.getTracer('obs-stack-demo-backend');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `random` is injectable so the fault logic can be tested without chance. */
export function backendRoutes(s: Settings, random: () => number = Math.random): Route[] {
  return [{
    method: 'GET',
    path: BACKEND_ROUTE,
    async handler({ params, log }) {
      const delay = s.latencyMs + (s.jitterMs > 0 ? random() * s.jitterMs : 0);
      if (delay > 0) await sleep(delay);
      // Stands for a slow dependency (a database query, say), so a trace shows where the time went.
      await tracer.startActiveSpan('inventory.lookup', async (span) => {
        span.setAttribute('demo.sku', params.sku);
        span.setAttribute('demo.slow_step_ms', s.slowStepMs);
        if (s.slowStepMs > 0) await sleep(s.slowStepMs);
        span.end();
      });
      if (s.errorRatio > 0 && random() < s.errorRatio) {
        const span = trace.getActiveSpan();
        span?.addEvent('fault injected', { 'demo.error_ratio': s.errorRatio });
        span?.setStatus({ code: SpanStatusCode.ERROR, message: 'injected failure' });
        log.error({ sku: params.sku, error_ratio: s.errorRatio }, 'injected failure');
        return { status: 500, body: { error: 'injected failure', sku: params.sku } };
      }
      const stock = Math.floor(random() * 100);
      log.info({ sku: params.sku, stock }, 'inventory looked up');
      return { status: 200, body: { sku: params.sku, stock } };
    },
  }];
}
