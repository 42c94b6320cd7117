/**
 * What both log agents share: host paths, node-name environment, RBAC, security context, and the objects
 * themselves (`addLogAgent`). Kept next to the pipeline model so Promtail and Alloy cannot drift apart in
 * the privileges they get or the shape of their pods; each agent's chart only says what is its own
 * (configuration, command line, paths, health endpoints).
 */
import type { Chart } from 'cdk8s';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, ImageSpec, LogAgentSpec } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import {
  clusterRoleServiceAccount, commonPodSpec, containerPort, goMemLimitEnv,
  httpProbe, imageRef, meta, nodeAgentDaemonSetSpec, resources, scratchVolume, serviceProps,
} from '../../lib/kube';
import type { Labeler } from '../../lib/labels';
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

/** What the composition root hands every log agent's chart. */
export interface LogAgentProps {
  readonly config: LogAgentSpec;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly endpoint: Endpoint;
  readonly pipeline: LogPipeline;
}

/** What is a given agent's own: everything else about its objects is shared. */
export interface LogAgentShape {
  readonly identity: { readonly name: string; readonly component: string };
  /** Where the ConfigMap is mounted, and the configuration's file name in it. */
  readonly configDir: string;
  readonly configFile: string;
  /** The rendered configuration (also what the checksum annotation is computed over). */
  readonly configText: string;
  readonly args: string[];
  /** Mount path of the hostPath state directory (read positions). */
  readonly stateDir: string;
  /** HTTP paths on the agent's port for the readiness and liveness probes. */
  readonly readyPath: string;
  readonly livePath: string;
}

/**
 * Adds a log agent's objects to `chart`, in this order: ServiceAccount, ClusterRole and ClusterRoleBinding
 * (pod discovery), ConfigMap, Service, DaemonSet.
 */
export function addLogAgent(chart: Chart, props: LogAgentProps, shape: LogAgentShape): void {
  const { config, common, endpoint, labeler, pipeline } = props;
  const ns = endpoint.namespace;
  const name = shape.identity.name;
  const labels = labeler.labels({ ...shape.identity, version: props.image.tag });
  const selector = labeler.selector(name);

  const sa = clusterRoleServiceAccount(chart, name, ns, labels, agentPodRbacRules());
  const configMap = new k8s.KubeConfigMap(chart, 'Config', {
    metadata: meta(name, ns, labels),
    data: { [shape.configFile]: shape.configText },
  });
  new k8s.KubeService(chart, 'Service', serviceProps([endpoint], labels, selector));

  const host = agentHostMounts(pipeline, agentStateHostPath(ns, name), shape.stateDir);

  new k8s.KubeDaemonSet(chart, 'DaemonSet', {
    metadata: meta(name, ns, labels),
    spec: nodeAgentDaemonSetSpec(selector, {
      metadata: { labels },
      spec: {
        // The agent calls the API server (pod discovery), so it gets its token.
        ...commonPodSpec(common, { serviceAccountName: sa.name, automountToken: true }),
        securityContext: agentSecurity.pod,
        // Time to send the last batch and write the positions file.
        terminationGracePeriodSeconds: 30,
        containers: [{
          name,
          image: imageRef(props.image, common),
          imagePullPolicy: 'IfNotPresent',
          args: shape.args,
          env: [...agentNodeEnv(pipeline), goMemLimitEnv(config.resources)],
          ports: [containerPort(endpoint)],
          resources: resources(config.resources),
          securityContext: agentSecurity.container,
          readinessProbe: httpProbe(shape.readyPath, endpoint.portName, { periodSeconds: 10 }),
          livenessProbe: httpProbe(shape.livePath, endpoint.portName, { initialDelaySeconds: 10, periodSeconds: 30, failureThreshold: 5 }),
          volumeMounts: [
            { name: 'config', mountPath: shape.configDir, readOnly: true },
            ...host.volumeMounts,
            { name: 'tmp', mountPath: '/tmp' },
          ],
        }],
        volumes: [
          { name: 'config', configMap: { name: configMap.name } },
          ...host.volumes,
          scratchVolume('tmp'),
        ],
      },
    }),
  });
}
