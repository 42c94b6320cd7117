/**
 * What both log agents' pods share: host paths, node-name environment, RBAC and security context. Kept
 * next to the pipeline model so Promtail and Alloy cannot drift apart in the privileges they get.
 */
import type * as k8s from '../../../imports/k8s';
import type { LogPipeline } from './log-pipeline';

/** Root of the host directories where agents keep their read positions. */
export const AGENT_STATE_HOST_ROOT = '/var/lib/obs-stack';

/**
 * Host directory holding one agent's positions, per agents namespace so two stacks on one cluster never
 * share (and corrupt) each other's offsets.
 */
export function agentStateHostPath(agentNamespace: string, agent: string): string {
  return `${AGENT_STATE_HOST_ROOT}/${agentNamespace}/${agent}`;
}

/** The node name, from the downward API, under the name the pipeline's discovery selector reads. */
export function agentNodeEnv(pipeline: LogPipeline): k8s.EnvVar[] {
  return [{ name: pipeline.nodeNameEnv, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }];
}

/** Pod discovery only: the agents read pod metadata (labels, uid, node) and nothing else. */
export function agentPodRbacRules(): k8s.PolicyRule[] {
  return [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }];
}

export interface AgentHostMounts {
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
}

/**
 * The pod log directory, read-only at the same path as on the host (the paths the pipeline builds are
 * host paths), and the agent's state directory, read-write, created on first start.
 */
export function agentHostMounts(pipeline: LogPipeline, stateHostPath: string, stateMountPath: string): AgentHostMounts {
  return {
    volumes: [
      { name: 'pod-logs', hostPath: { path: pipeline.podLogsRoot, type: 'Directory' } },
      { name: 'state', hostPath: { path: stateHostPath, type: 'DirectoryOrCreate' } },
    ],
    volumeMounts: [
      { name: 'pod-logs', mountPath: pipeline.podLogsRoot, readOnly: true },
      { name: 'state', mountPath: stateMountPath },
    ],
  };
}

/**
 * Security of a log agent. Kubelet and containerd create the log files root-owned with mode 0640 (and
 * the state directory is created root-owned), so the agent runs as uid 0: as the files' owner it reads
 * them through the owner permission bits, which needs no capability. Every capability is dropped (no
 * DAC_READ_SEARCH or DAC_OVERRIDE: nothing is read that root does not own), privilege escalation is off,
 * the root filesystem is read-only, and seccomp is the runtime default. Root is why the agents live in
 * the agents namespace (Pod Security `privileged`); no container is privileged.
 */
export const agentSecurity: { readonly pod: k8s.PodSecurityContext; readonly container: k8s.SecurityContext } = {
  pod: {
    runAsUser: 0,
    runAsGroup: 0,
    runAsNonRoot: false,
    seccompProfile: { type: 'RuntimeDefault' },
  },
  container: {
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
  },
};
