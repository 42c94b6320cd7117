/** What both log agents share as stack components: deployed with Loki, pushing to its push endpoint. */
import type { StackConfig } from '../../config/types';
import { lokiPushEndpoint, lokiPushUrl } from '../loki/endpoints';
import type { BuildContext } from '../component';
import { type LogPipeline, buildLogPipeline } from './log-pipeline';

/** Is `agent` the configured log agent (and is there a Loki to ship to)? */
export function logAgentEnabled(cfg: StackConfig, agent: StackConfig['logAgent']): boolean {
  return cfg.loki.enabled && cfg.logAgent === agent;
}

/** The pipeline for the configured agent, its push URL taken from the wire to Loki. */
export function wiredLogPipeline({ cfg, endpoints, wire }: BuildContext): LogPipeline {
  const push = wire(cfg.logAgent, lokiPushEndpoint(endpoints), 'push', 'pushes container logs');
  return buildLogPipeline({ clusterName: cfg.common.clusterName, pushUrl: lokiPushUrl(push), tenant: cfg.loki.tenant });
}
