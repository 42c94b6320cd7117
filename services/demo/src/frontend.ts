/**
 * The frontend: `GET /api/orders/:id` asks the backend for stock over HTTP. The HTTP instrumentation
 * makes the call a client span and injects W3C `traceparent`, so frontend and backend spans form one trace.
 * With Kafka configured, every order request then publishes one event (the answer it is about to give)
 * for the worker, and the trace continues there.
 */
import { get } from './client';
import type { Logger } from './logger';
import type { OrderEvent } from './publisher';
import type { Reply, Route } from './server';
import type { Settings } from './settings';

export const FRONTEND_ROUTE = '/api/orders/:id';

/** Where the frontend's order events go (an `OrderEvents` publisher, when Kafka is configured). */
export interface EventSink {
  publish(event: OrderEvent): Promise<void>;
}

export function frontendRoutes(s: Settings, events?: EventSink): Route[] {
  return [{
    method: 'GET',
    path: FRONTEND_ROUTE,
    async handler(ctx) {
      const id = ctx.params.id;
      const reply = await order(s, id, ctx.log);
      if (events !== undefined) {
        // Awaited, so the send (a PRODUCER span) sits inside this request's server span.
        const { stock } = reply.body as { stock?: number };
        await events.publish({ order: id, sku: `sku-${id}`, status: reply.status, ...(typeof stock === 'number' ? { stock } : {}) });
      }
      return reply;
    },
  }];
}

/** Asks the backend for the order's stock; the answer the frontend gives. */
async function order(s: Settings, id: string, log: Logger): Promise<Reply> {
  const sku = `sku-${id}`;
  try {
    const res = await get(`${s.backendUrl}/api/inventory/${encodeURIComponent(sku)}`, s.backendTimeoutMs);
    if (res.status >= 500) {
      log.error({ order: id, backend_status: res.status }, 'backend failed');
      return { status: 502, body: { error: 'backend failed', order: id } };
    }
    if (res.status !== 200) {
      log.warn({ order: id, backend_status: res.status }, 'backend refused');
      return { status: 502, body: { error: 'unexpected backend answer', order: id } };
    }
    const stock = (JSON.parse(res.body) as { stock: number }).stock;
    return { status: 200, body: { order: id, sku, inStock: stock > 0, stock } };
  } catch (err) {
    log.error({ order: id, err }, 'backend unreachable');
    return { status: 504, body: { error: 'backend unreachable', order: id } };
  }
}
