/**
 * The traffic generator: a steady `TRAFFIC_RPS` of `GET /api/orders/<n>` to the frontend, so dashboards
 * have data from the first minute. It does not trace (the frontend's span is the root of each trace) and
 * caps concurrent requests, so a slow frontend slows the generator instead of piling requests up.
 */
import http from 'node:http';
import { get } from './client';
import type { Logger } from './logger';
import type { Settings } from './settings';

export interface TrafficStats {
  sent: number;
  ok: number;
  failed: number;
  skipped: number;
}

export interface Traffic {
  readonly stats: TrafficStats;
  stop(): Promise<void>;
}

const SUMMARY_EVERY_MS = 30_000;

export function startTraffic(s: Settings, log: Logger): Traffic {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 100 });
  const stats: TrafficStats = { sent: 0, ok: 0, failed: 0, skipped: 0 };
  const maxInFlight = Math.max(10, Math.ceil(s.trafficRps * 5));
  const timeoutMs = 10_000;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();

  const fire = () => {
    if (inFlight >= maxInFlight) {
      stats.skipped++;
      return;
    }
    inFlight++;
    stats.sent++;
    const id = 1 + Math.floor(Math.random() * 1000);
    const p = get(`${s.frontendUrl}/api/orders/${id}`, timeoutMs, agent)
      .then((r) => { if (r.status < 500) stats.ok++; else stats.failed++; })
      .catch(() => { stats.failed++; })
      .finally(() => { inFlight--; pending.delete(p); });
    pending.add(p);
  };

  // Timers at sub-millisecond periods are clamped; above ~100 rps send several requests per tick.
  const perTick = Math.max(1, Math.ceil(s.trafficRps / 100));
  const periodMs = (1000 * perTick) / s.trafficRps;
  const timer = setInterval(() => { for (let i = 0; i < perTick; i++) fire(); }, periodMs);
  const summary = setInterval(() => log.info({ ...stats, in_flight: inFlight, target: s.frontendUrl, rps: s.trafficRps }, 'traffic summary'), SUMMARY_EVERY_MS);
  summary.unref();
  log.info({ target: s.frontendUrl, rps: s.trafficRps, max_in_flight: maxInFlight }, 'traffic started');

  return {
    stats,
    async stop() {
      clearInterval(timer);
      clearInterval(summary);
      await Promise.allSettled([...pending]);
      agent.destroy();
      log.info({ ...stats }, 'traffic stopped');
    },
  };
}
