/** The example services' endpoints: one HTTP port each (requests, probes and, unless every signal goes over OTLP, metrics). */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

/** `demo-traffic` is a pure client (no endpoint of its own): the example traffic generator. */
export const DEMO_NAMES = ['demo-frontend', 'demo-backend', 'demo-worker', 'demo-traffic'] as const;
export type DemoName = (typeof DEMO_NAMES)[number];

function demoService(cfg: StackConfig, name: DemoName): HttpEndpoints {
  // With every signal over OTLP the port serves requests and probes only: no metrics are scraped there.
  const portName = cfg.demo.otlp === 'all' ? 'http' : METRICS_PORT_NAME;
  return { http: endpoint(name, cfg.common.namespace, portName, cfg.demo.ports.http) };
}

export const DEMO_ENDPOINTS = {
  demoFrontend: (cfg: StackConfig) => demoService(cfg, 'demo-frontend'),
  demoBackend: (cfg: StackConfig) => demoService(cfg, 'demo-backend'),
  /** The worker's metrics and probes (it serves no requests). */
  demoWorker: (cfg: StackConfig) => demoService(cfg, 'demo-worker'),
} as const satisfies EndpointBuilders;
