/**
 * The frontend: `GET /api/orders/:id` asks the backend for stock over HTTP. The HTTP instrumentation
 * makes the call a client span and injects W3C `traceparent`, so frontend and backend spans form one trace.
 */
import { get } from './client';
import type { Route } from './server';
import type { Settings } from './settings';

export const FRONTEND_ROUTE = '/api/orders/:id';

export function frontendRoutes(s: Settings): Route[] {
  return [{
    method: 'GET',
    path: FRONTEND_ROUTE,
    async handler({ params, log }) {
      const sku = `sku-${params.id}`;
      try {
        const res = await get(`${s.backendUrl}/api/inventory/${encodeURIComponent(sku)}`, s.backendTimeoutMs);
        if (res.status >= 500) {
          log.error({ order: params.id, backend_status: res.status }, 'backend failed');
          return { status: 502, body: { error: 'backend failed', order: params.id } };
        }
        if (res.status !== 200) {
          log.warn({ order: params.id, backend_status: res.status }, 'backend refused');
          return { status: 502, body: { error: 'unexpected backend answer', order: params.id } };
        }
        const stock = (JSON.parse(res.body) as { stock: number }).stock;
        return { status: 200, body: { order: params.id, sku, inStock: stock > 0, stock } };
      } catch (err) {
        log.error({ order: params.id, err }, 'backend unreachable');
        return { status: 504, body: { error: 'backend unreachable', order: params.id } };
      }
    },
  }];
}
