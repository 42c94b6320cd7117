/** The log agents' part of the environment's README: an application's logs need nothing. */
import type { OwnTelemetry } from '../component';

/** What the agent named `agent` collects without being told. */
export function agentLogsTelemetry(agent: string): OwnTelemetry {
  return {
    signal: 'logs',
    lines: [`**Logs**: nothing to set. ${agent} reads every container's stdout and stderr on its node; ` +
      'JSON lines with `level`, `trace_id` and `span_id` fields are parsed, and the trace ids link each line to its trace.', ''],
  };
}
