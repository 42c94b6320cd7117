/** cAdvisor's endpoint: its metrics port on the DaemonSet's Service. */
import type { StackConfig } from '../../config/types';
import { type EndpointBuilders, type HttpEndpoints, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export const CADVISOR_NAMES = ['cadvisor'] as const;
export type CadvisorName = (typeof CADVISOR_NAMES)[number];

export const CADVISOR_ENDPOINTS = {
  cadvisor: (cfg: StackConfig): HttpEndpoints => ({ http: endpoint('cadvisor', cfg.common.agentNamespace, METRICS_PORT_NAME, cfg.cadvisor.ports.http) }),
} as const satisfies EndpointBuilders;
