/** What both log agents' Helm values share: the pipeline pushing to the log store's chart Service, and their host mounts. */
import type { StackConfig } from '../../config/types';
import type { ManifestsPod } from '../../lib/manifests-pods';
import { WireLog } from '../../lib/wiring';
import type { Endpoints } from '../registry';
import { agentHostMounts } from './agent-pod';
import type { LogPipeline } from './log-pipeline';
import { pushingLogPipeline } from '.';

/** A volume as the agent charts take it (plain Kubernetes Volume fields). */
export interface AgentVolumeValues {
  readonly name: string;
  readonly hostPath?: { readonly path: string; readonly type?: string };
  readonly emptyDir?: { readonly sizeLimit: string };
}
export interface AgentVolumeMountValues { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }

export interface LogAgentValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation (`helmEndpoints`). */
  readonly endpoints: Endpoints;
  /** Where the Helm installation's connections are recorded. @default - a log of its own */
  readonly wires?: WireLog;
}

/** A log agent's values input: the config, the Helm endpoints and the manifests' pod of that agent. */
export interface LogAgentChartInput extends LogAgentValuesInput {
  readonly pod: ManifestsPod;
}

/** The log agents' scratch directory (the root filesystem is read-only). */
export const AGENT_TMP_DIR = '/tmp';

/** The log pipeline of the Helm installation: the manifests' model, pushing to the `logs-push` receiver among the installation's endpoints. */
export function helmLogPipeline({ cfg, endpoints, wires = new WireLog() }: LogAgentValuesInput): LogPipeline {
  return pushingLogPipeline(cfg, endpoints, (...w) => wires.connect(...w));
}

/** Host mounts of a log agent, as plain values (the manifests' `agentHostMounts`). */
export function agentHostMountValues(pipeline: LogPipeline, stateHostPath: string, stateMountPath: string): { volumes: AgentVolumeValues[]; volumeMounts: AgentVolumeMountValues[] } {
  const host = agentHostMounts(pipeline, stateHostPath, stateMountPath);
  return {
    volumes: host.volumes.map((v) => ({ name: v.name, ...(v.hostPath ? { hostPath: { path: v.hostPath.path, ...(v.hostPath.type !== undefined ? { type: v.hostPath.type } : {}) } } : {}) })),
    volumeMounts: host.volumeMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, ...(m.readOnly !== undefined ? { readOnly: m.readOnly } : {}) })),
  };
}

