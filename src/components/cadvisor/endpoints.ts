/** cAdvisor's endpoint: its metrics port on the DaemonSet's Service. */
import type { StackConfig } from '../../config/types';
import { type Endpoint, type EndpointBuilders, METRICS_PORT_NAME, endpoint } from '../../lib/endpoints';

export type CadvisorName = 'cadvisor';

export type CadvisorEndpoints = {
  readonly http: Endpoint;
};

export function cadvisorEndpoints(cfg: StackConfig): CadvisorEndpoints {
  return { http: endpoint('cadvisor', cfg.common.agentNamespace, METRICS_PORT_NAME, cfg.cadvisor.ports.http) };
}

export const CADVISOR_ENDPOINTS = { cadvisor: cadvisorEndpoints } as const satisfies EndpointBuilders;
