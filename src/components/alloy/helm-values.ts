/**
 * Typed values for grafana/alloy 1.11.1 (chart published from grafana/alloy operations/helm/charts/alloy).
 * `alloy.configMap.content` is the text `renderAlloyConfig` produces for the manifests from the same
 * pipeline model (the one Promtail uses), pushing to the `logs-push` receiver among the installation's Services.
 *
 * Chart facts (ref helm-chart/1.11.1):
 * - Config: `alloy.configMap.content` (our rendered River/Alloy text) in a ConfigMap the chart creates.
 *   The config-reloader sidecar (`configReloader.enabled`) is off: without it templates/controllers/_pod.yaml
 *   puts a `checksum/config` of the content on the pod, so a change rolls the pods, as in the manifests.
 * - Service `<fullname>` (templates/service.yaml, `service.enabled` default true) port http-metrics =
 *   `alloy.listenPort` (container port http-metrics, templates/containers/_agent.yaml).
 * - Pods: app.kubernetes.io/name=alloy; `controller.type: daemonset` (default).
 * - Host logs: `alloy.mounts.varlog` / `dockercontainers`; security via `alloy.securityContext`
 *   (empty by default) and `global.podSecurityContext` (templates/controllers/_pod.yaml reads the pod's
 *   securityContext from there only; a `controller.podSecurityContext` is ignored). Namespace:
 *   `namespaceOverride` or release.
 * - The content goes through `tpl` (templates/configmap.yaml). The chart sets `HOSTNAME` to the node name
 *   (templates/containers/_agent.yaml), the variable the pipeline's discovery selector reads.
 * - We mount the manifests' host paths ourselves (`alloy.mounts.extra` + `controller.volumes.extra`):
 *   /var/log/pods read-only and the per-namespace state directory as `--storage.path` (read positions
 *   survive restarts), rather than the chart's `varlog` (all of /var/log).
 * - RBAC: the chart's default rules read Secrets and ConfigMaps cluster-wide; ours are the manifests'
 *   (pods only). `crds.create` is off (PodLogs is not used). templates/rbac.yaml writes the ClusterRole's
 *   `rules:` as `rules | toYaml` followed by `clusterRules | toYaml`: an empty list there renders a bare
 *   `[]` line after (or before) the other list, which is invalid YAML and fails the install. So BOTH lists
 *   carry our pod rule (a duplicate rule grants nothing more); `rules` alone would feed a namespaced Role,
 *   which we never ask for (`rbac.namespaces` empty: pod discovery is cluster-wide).
 * - Probes and the /tmp size from the manifests' DaemonSet (`manifestsPod`): `alloy.livenessProbe` as is;
 *   the readiness probe is the chart's own (templates/containers/_agent.yaml: /-/ready on the listen port)
 *   with the manifests' `alloy.initialDelaySeconds` and `alloy.timeoutSeconds` (period and threshold are
 *   Kubernetes' defaults, which the manifests use too).
 * - The chart sets no `GOMEMLIMIT`; `alloy.extraEnv` (after the chart's ALLOY_DEPLOY_MODE, HOSTNAME and
 *   K8S_NODE_NAME) carries the manifests' value.
 */
import { agentSecurity, agentStateHostPath } from '../log-pipeline/agent-pod';
import { agentPodRbacRules } from '../log-pipeline/agent-pod';
import { ALLOY_IDENTITY, ALLOY_PATHS } from './alloy';
import { renderAlloyConfig } from './alloy-config';
import {
  type ContainerSecurityContextValues, type EnvValues, type PodPlacementValues, type PodSecurityContextValues, type ResourcesValues,
  goMemLimitEnvValues, podPlacementValues, registryImageValues, resourcesValues, tplEscape,
} from '../../lib/helm-values';
import { type ProbeValues, emptyDirLimit, probeOf } from '../../lib/manifests-pods';
import { AGENT_TMP_DIR, type AgentVolumeMountValues, type AgentVolumeValues, type LogAgentChartInput, type LogAgentValuesInput, agentHostMountValues, helmLogPipeline } from '../log-pipeline/helm-values';

export interface RbacRuleValues { readonly apiGroups: readonly string[]; readonly resources: readonly string[]; readonly verbs: readonly string[] }

export interface AlloyChartValues {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent'; readonly pullSecrets: ReadonlyArray<{ readonly name: string }> };
  readonly alloy: {
    readonly configMap: { readonly create: boolean; readonly content: string };
    readonly listenPort: number;
    readonly storagePath: string;
    readonly enableReporting: boolean;
    readonly extraEnv: readonly EnvValues[];
    readonly mounts: { readonly varlog: boolean; readonly dockercontainers: boolean; readonly extra: readonly AgentVolumeMountValues[] };
    readonly resources: ResourcesValues;
    readonly securityContext: ContainerSecurityContextValues;
    readonly livenessProbe: ProbeValues;
    /** The chart's readiness probe: its initial delay and timeout. */
    readonly initialDelaySeconds: number;
    readonly timeoutSeconds: number;
  };
  readonly global: { readonly podSecurityContext: PodSecurityContextValues };
  /** Off: the chart then rolls the pods on a config change (see the header). */
  readonly configReloader: { readonly enabled: false };
  readonly controller: PodPlacementValues & {
    readonly type: 'daemonset';
    readonly priorityClassName?: string;
    readonly volumes: { readonly extra: readonly AgentVolumeValues[] };
  };
  readonly service: { readonly enabled: boolean };
  readonly crds: { readonly create: boolean };
  readonly rbac: { readonly create: boolean; readonly rules: readonly RbacRuleValues[]; readonly clusterRules: readonly RbacRuleValues[] };
}

/** The Alloy configuration the Helm installation runs. */
export function helmAlloyConfig(input: LogAgentValuesInput): string {
  return renderAlloyConfig({ pipeline: helmLogPipeline(input) });
}

export function alloyValues(input: LogAgentChartInput): AlloyChartValues {
  const { cfg, endpoints, pod } = input;
  const readiness = probeOf(pod, 'readinessProbe');
  const { common } = cfg;
  const pipeline = helmLogPipeline(input);
  const host = agentHostMountValues(pipeline, agentStateHostPath(endpoints.alloy.http.namespace, ALLOY_IDENTITY.name), ALLOY_PATHS.storageDir);
  const { registry, repository, tag, pullPolicy } = registryImageValues(cfg.alloy.image, common);
  const rules = agentPodRbacRules().map((r) => ({ apiGroups: [...(r.apiGroups ?? [])], resources: [...(r.resources ?? [])], verbs: [...r.verbs] }));
  return {
    image: { registry, repository, tag, pullPolicy, pullSecrets: common.imagePullSecrets.map((name) => ({ name })) },
    alloy: {
      configMap: { create: true, content: tplEscape(helmAlloyConfig(input)) },
      listenPort: endpoints.alloy.http.port,
      storagePath: ALLOY_PATHS.storageDir,
      // No usage reports leave the cluster (--disable-reporting, as in the manifests).
      enableReporting: false,
      extraEnv: [goMemLimitEnvValues(cfg.alloy.resources)],
      mounts: { varlog: false, dockercontainers: false, extra: [...host.volumeMounts, { name: 'tmp', mountPath: AGENT_TMP_DIR }] },
      resources: resourcesValues(cfg.alloy.resources),
      securityContext: agentSecurity.container as ContainerSecurityContextValues,
      livenessProbe: probeOf(pod, 'livenessProbe'),
      initialDelaySeconds: readiness.initialDelaySeconds,
      timeoutSeconds: readiness.timeoutSeconds,
    },
    // The pod's securityContext (root for the host log files, RuntimeDefault seccomp), as in the manifests.
    global: { podSecurityContext: agentSecurity.pod as PodSecurityContextValues },
    configReloader: { enabled: false },
    controller: {
      type: 'daemonset',
      // Every node, control plane and tainted pools included: their containers log too.
      ...podPlacementValues(cfg.alloy.pods, common, { tolerations: [{ operator: 'Exists' }] }),
      ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
      volumes: { extra: [...host.volumes, { name: 'tmp', emptyDir: { sizeLimit: emptyDirLimit(pod, AGENT_TMP_DIR) } }] },
    },
    service: { enabled: true },
    crds: { create: false },
    // The same rule in both lists: neither may be empty (see the header).
    rbac: { create: true, rules, clusterRules: rules },
  };
}
