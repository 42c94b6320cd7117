/** node-exporter's endpoint: its Service; its pods use the node's network, so the listener is on each node address. */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export const NODE_EXPORTER_NAMES = ['node-exporter'] as const;
export type NodeExporterName = (typeof NODE_EXPORTER_NAMES)[number];

export function nodeExporterEndpoints(cfg: StackConfig): HttpEndpoints {
  return { http: { ...endpoint('node-exporter', cfg.common.agentNamespace, METRICS_PORT_NAME, cfg.nodeExporter.port), peer: { kind: 'nodes', ownPods: true } } };
}

export const NODE_EXPORTER_ENDPOINTS = { nodeExporter: nodeExporterEndpoints } as const satisfies EndpointBuilders;
