/**
 * Typed values for grafana/promtail 6.17.1 - a DEPRECATED chart (frozen; Promtail reached end of life on
 * 2026-03-02, Alloy is the successor). `config.file` is the text `renderPromtailConfig` produces for the
 * manifests from the same pipeline model, pushing to the `logs-push` receiver among the installation's Services.
 *
 * Chart facts (templates at charts/promtail, ref promtail-6.17.1):
 * - Config: `config.file` is a tpl template string (default builds it from `config.snippets`, `clients`,
 *   `serverPort`); set `config.file` to our rendered YAML (escape `{{`) and `config.serverPort` to the
 *   same `server.http_listen_port` (it drives the container port and the Service).
 * - Service `<fullname>-metrics` (headless, port http-metrics = `config.serverPort`) exists only with
 *   `service.enabled: true` (default false) - we turn it on so the endpoint exists.
 * - Pods: app.kubernetes.io/name=promtail; container port `http-metrics`.
 * - Security: pod runs as root (`podSecurityContext` uid/gid 0, to read /var/log/pods); container
 *   read-only root, drop ALL, no privilege escalation. Namespace: `namespace` value or the release's.
 * - The config is stored in a Secret unless `configmap.enabled` (it holds no secret: a ConfigMap, like the
 *   manifests). `HOSTNAME` is set to the node name by the chart (templates/_pod.tpl), the variable the
 *   pipeline's discovery selector reads; `-config.expand-env=true` is ours (extraArgs), as in the manifests.
 * - `defaultVolumes`/`defaultVolumeMounts` replace the chart's (/run/promtail, docker containers): the
 *   manifests' pod-log and positions hostPaths, plus /tmp.
 * - The chart sets no `GOMEMLIMIT`; `extraEnv` (after the chart's HOSTNAME) carries the manifests' value.
 * - Probes and the /tmp size come from the manifests' DaemonSet (`manifestsPod`): the chart has no liveness
 *   probe unless given one, and its own readiness probe waits 10 s and fails after 5.
 */
import { agentSecurity, agentStateHostPath } from '../log-pipeline/agent-pod';
import { AGENT_TMP_DIR, type AgentVolumeMountValues, type AgentVolumeValues, type LogAgentChartInput, type LogAgentValuesInput, agentHostMountValues, helmLogPipeline } from '../log-pipeline/helm-values';
import { PROMTAIL_IDENTITY, PROMTAIL_PATHS } from './promtail';
import { type PromtailConfigFile, renderPromtailConfig } from './promtail-config';
import { toYaml } from '../../lib/yaml';
import { type ProbeValues, emptyDirLimit, probeOf } from '../../lib/manifests-pods';
import {
  type ContainerSecurityContextValues, type EnvValues, type PodPlacementValues, type PodSecurityContextValues, type ResourcesValues,
  goMemLimitEnvValues, podPlacementValues, registryImageValues, resourcesValues, tplEscape,
} from '../../lib/helm-values';

export interface PromtailChartValues extends PodPlacementValues {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent' };
  readonly imagePullSecrets: ReadonlyArray<{ readonly name: string }>;
  readonly config: { readonly serverPort: number; readonly file: string };
  readonly configmap: { readonly enabled: boolean };
  readonly extraArgs: readonly string[];
  readonly extraEnv: readonly EnvValues[];
  readonly defaultVolumes: readonly AgentVolumeValues[];
  readonly defaultVolumeMounts: readonly AgentVolumeMountValues[];
  readonly service: { readonly enabled: boolean };
  readonly serviceMonitor: { readonly enabled: false };
  readonly resources: ResourcesValues;
  readonly podSecurityContext: PodSecurityContextValues;
  readonly containerSecurityContext: ContainerSecurityContextValues;
  readonly livenessProbe: ProbeValues;
  readonly readinessProbe: ProbeValues;
  readonly priorityClassName?: string | null;
}

export function helmPromtailConfig(input: LogAgentValuesInput): PromtailConfigFile {
  return renderPromtailConfig({
    pipeline: helmLogPipeline(input),
    httpPort: input.endpoints.promtail.http.port,
    positionsFile: `${PROMTAIL_PATHS.stateDir}/${PROMTAIL_PATHS.positionsFile}`,
  });
}

export function promtailValues(input: LogAgentChartInput): PromtailChartValues {
  const { cfg, endpoints, pod } = input;
  const { common } = cfg;
  const pipeline = helmLogPipeline(input);
  const host = agentHostMountValues(pipeline, agentStateHostPath(endpoints.promtail.http.namespace, PROMTAIL_IDENTITY.name), PROMTAIL_PATHS.stateDir);
  const { registry, repository, tag, pullPolicy } = registryImageValues(cfg.promtail.image, common);
  return {
    image: { registry, repository, tag, pullPolicy },
    imagePullSecrets: common.imagePullSecrets.map((name) => ({ name })),
    config: { serverPort: endpoints.promtail.http.port, file: tplEscape(toYaml(helmPromtailConfig(input))) },
    configmap: { enabled: true },
    extraArgs: ['-config.expand-env=true'],
    extraEnv: [goMemLimitEnvValues(cfg.promtail.resources)],
    defaultVolumes: [...host.volumes, { name: 'tmp', emptyDir: { sizeLimit: emptyDirLimit(pod, AGENT_TMP_DIR) } }],
    defaultVolumeMounts: [...host.volumeMounts, { name: 'tmp', mountPath: AGENT_TMP_DIR }],
    service: { enabled: true },
    serviceMonitor: { enabled: false },
    resources: resourcesValues(cfg.promtail.resources),
    podSecurityContext: agentSecurity.pod as PodSecurityContextValues,
    containerSecurityContext: agentSecurity.container as ContainerSecurityContextValues,
    livenessProbe: probeOf(pod, 'livenessProbe'),
    readinessProbe: probeOf(pod, 'readinessProbe'),
    // Every node, control plane and tainted pools included: their containers log too.
    ...podPlacementValues(cfg.promtail.pods, common, { tolerations: [{ operator: 'Exists' }] }),
    ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
  };
}
