/**
 * What both log agents share as stack components: deployed while an enabled component receives the log push
 * API (`logs-push`, `src/lib/receivers.ts`), pushing to that receiver on either path.
 */
import type { StackConfig } from '../../config/types';
import { type Receiver, stackReceiver, stackReceives } from '../../lib/receivers';
import type { Endpoint } from '../../lib/endpoints';
import type { WiredEndpoint } from '../../lib/wiring';
import type { BuildContext } from '../component';
import type { Endpoints } from '../registry';
import { type LogPipeline, buildLogPipeline } from './log-pipeline';

/** Is `agent` the configured log agent (and is there a store to push to)? */
export function logAgentEnabled(cfg: StackConfig, agent: StackConfig['logAgent']): boolean {
  return cfg.logAgent === agent && stackReceives('logs-push', cfg);
}

/** The header the agents' `tenant_id` setting sends. */
const TENANT_HEADER = 'X-Scope-OrgID';

/** The tenant the agents write as `tenant_id`: the receiver's tenant header, '' without one. The agents send no other header. */
function agentTenant(receiver: Receiver): string {
  const { [TENANT_HEADER]: tenant = '', ...others } = receiver.headers ?? {};
  const extra = Object.keys(others);
  if (extra.length > 0) throw new Error(`internal: the logs-push receiver asks for header ${extra.join(', ')}, but the log agents send only ${TENANT_HEADER}`);
  return tenant;
}

/**
 * The configured agent's pipeline, pushing to the `logs-push` receiver on the endpoint `wire` returns. Both
 * paths call it with their endpoints and their way of recording the wire.
 */
export function pushingLogPipeline(cfg: StackConfig, endpoints: Endpoints, wire: (from: StackConfig['logAgent'], to: Endpoint, kind: 'push', purpose: string) => WiredEndpoint): LogPipeline {
  const receiver = stackReceiver('logs-push', cfg, endpoints);
  if (receiver === undefined) throw new Error(`internal: logAgent ${cfg.logAgent} is deployed, but no enabled component receives logs-push`);
  const push = wire(cfg.logAgent, receiver.endpoint, 'push', 'pushes container logs');
  return buildLogPipeline({ clusterName: cfg.common.clusterName, pushUrl: receiver.target(push), tenant: agentTenant(receiver) });
}

/** The pipeline for the configured agent in the manifests, its wire recorded in the build. */
export function wiredLogPipeline({ cfg, endpoints, wire }: BuildContext): LogPipeline {
  return pushingLogPipeline(cfg, endpoints, wire);
}
