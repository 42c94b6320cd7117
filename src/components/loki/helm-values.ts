/**
 * Values for grafana-community/loki 18.11.0, Monolithic (filesystem or object storage, one replica) or
 * SimpleScalable (write / read / backend on object storage): `loki.config` is the text `renderLokiConfig`
 * produces for the manifests, so retention, limits, schema, tenancy and storage are the same.
 *
 * Chart facts (templates at charts/loki, ref loki-18.11.0):
 * - Config: `loki.calculatedConfig` = tpl(`loki.config`) merged with `loki.structuredConfig`. Setting
 *   `loki.config` to our rendered YAML (with any `{{` escaped, it goes through `tpl`) makes the config the
 *   manifests' one exactly. templates/validate.yaml still demands `loki.schemaConfig` (or
 *   `structuredConfig.schema_config`) non-empty and `useTestSchema: false`: set `loki.schemaConfig` to the
 *   same schema_config. `loki.storage.type: filesystem` makes `isUsingObjectStorage` false (required for
 *   Monolithic without object storage, max 1 replica).
 * - `singleBinary.replicas` defaults to 0: set 1. Gateway, caches, canary and `test` are on by default:
 *   turn off (`test` requires the canary). `minio.enabled` must stay false.
 * - Service `<fullname>` with ports http-metrics (`loki.server.http_listen_port`), grpc
 *   (`loki.server.grpc_listen_port`) and grpclb 9096; these two values must equal the ports in our config.
 * - Pods: app.kubernetes.io/name=loki, component=single-binary; container ports http-metrics, grpc.
 * - Pod facts from the manifests' Loki workloads (`manifestsPod`): `defaults.containerSecurityContext`,
 *   `defaults.{liveness,readiness,startup}Probe` (templates/_pod.tpl takes each as `coalesce` of the target's,
 *   `defaults.*` and `loki.*`, so `defaults` reaches every target and replaces the chart's own probes and
 *   its container-level seccompProfile), `loki.podSecurityContext`, each target's grace period and the
 *   size of its data emptyDir (`persistence.dataVolumeParameters`). templates/_pod.tpl mounts /tmp as
 *   `emptyDir: {}` with no way to size it (the README's differences list it). Namespace:
 *   `.Release.Namespace` or `namespaceOverride`.
 * - `loki.calculatedConfig` (templates/_helpers.tpl) runs `tpl` TWICE over the config (once on
 *   `loki.config`, once on the merged result), hence `tplEscape(text, 2)`; the merge re-serialises the YAML
 *   (same data, keys sorted).
 * - The container runs with `-config.expand-env=true` (templates/_pod.tpl), so a `$` in the config would
 *   be expanded. The only `$` allowed are the `${VAR}` references to the object-storage credential env vars
 *   (`expandableEnvRefs`), which are meant to be expanded; anything else is refused (with its key path)
 *   rather than shipping a different config.
 * - SimpleScalable (`deploymentMode: SimpleScalable`; `loki.deployment.isScalable` also requires an object
 *   `loki.storage.type`): templates/{write,read,backend}/workload.yaml through templates/_workload.tpl and
 *   _pod.tpl. Write and backend are StatefulSets (`persistence.volumeClaimsEnabled`/`enabled` give them a
 *   PVC named data at /var/loki), read a Deployment with an emptyDir there. Each target takes `replicas`,
 *   `resources`, `affinity`, `topologySpreadConstraints`, `extraEnv`, `extraVolumes`, `extraVolumeMounts`,
 *   `podLabels`; the chart's default affinity REQUIRES one node per replica, replaced by the manifests'
 *   preferred anti-affinity plus zone/host spread. Helm MERGES maps into the chart defaults, so a preferred
 *   term alone would be added next to the required one (and `affinity: {}` keeps the default whole): every
 *   target, the single binary included, sets `podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution:
 *   null`, which deletes the default term. PodDisruptionBudgets (maxUnavailable 1) are the chart's
 *   own, on by default per target. Services and memberlist: helm.ts `lokiScalableServices`; the config
 *   is rendered with those Services' addresses (memberlist port fixed at 7946).
 * - `loki.storage.type`/`bucketNames` only switch the chart into object-storage mode (its own storage
 *   templates feed the default `loki.config`, which we replace): the store, bucket and credential references
 *   in effect are the ones in our rendered config. Credentials: the manifests' env (`secretKeyRef`) and
 *   Secret volume per target; workload identity: `serviceAccount.annotations` (one ServiceAccount for all
 *   targets, as in the manifests) and, for Azure, the pod label.
 * - The data volume (`storage`) is mounted at /var/loki, the manifests' data directory, as a PVC with
 *   `singleBinary.persistence.enabled` and otherwise as an emptyDir of the manifests' size. The rules sidecar (a ConfigMap watcher
 *   with cluster-wide read access) is off: the manifests run no ruler rules.
 * - Go runtime env (templates/_helpers.tpl `loki.componentEnv`): the chart adds `GOMEMLIMIT` =
 *   `defaults.goSettings.goMemLimitFactor` (0.85) of the target's memory limit unless the target's env
 *   already names it. Each target's `extraEnv` starts with the manifests' value (90%, `goMemLimitEnv`), so
 *   the chart's is skipped and the number is ours exactly (the chart's own MiB conversion truncates
 *   differently for decimal units such as `1G`, so setting the factor to 0.9 would not always match). The
 *   same helper also adds `GOGC=80` (`defaults.goSettings.gogc`) unless the env already names `GOGC`; the
 *   manifests leave Go's default (100). Its documented "0 disables" does not work at this version
 *   (`default 80` turns 0 back into 80), so each target's `extraEnv` names `GOGC=100` right after
 *   `GOMEMLIMIT` (`LOKI_GOGC_ENV`): the chart skips its own and the collector paces as in the manifests.
 */
import { lokiScalableAddresses, renderLokiConfig } from './loki-config';
import { LOKI_PATHS } from './loki';
import type { ResourceSpec, StackConfig } from '../../config/types';
import type { Endpoints } from '../registry';
import type { LokiScalableEndpoints } from './endpoints';
import { spreadReplicas } from '../../lib/kube';
import { serviceAccountAnnotations, workloadIdentityPodLabels } from '../../lib/object-storage';
import { toYaml } from '../../lib/yaml';
import { type ManifestsPod, type ProbeValues, containerSecurityOf, emptyDirLimit, gracePeriodOf, podSecurityOf, probeOf } from '../../lib/manifests-pods';
import { LOKI_CHART, lokiHelm } from './helm';
import {
  type ContainerSecurityContextValues, type EnvValues, type PodSecurityContextValues, type ResourcesValues,
  type PodPlacementValues, type SecretVolumeValues, type VolumeMountValues,
  assertOnlyExpandableRefs, expandableEnvRefs, goMemLimitEnvValues, objectStorageCredentialValues, podPlacementValues, registryImageValues, resourcesValues,
  tplEscape,
} from '../../lib/helm-values';
import { mergeAffinity } from '../../lib/pod-settings';

type LokiStorageType = 'filesystem' | 's3' | 'gcs' | 'azure';

/** Keys every target (and the single binary) takes for credentials and pod placement. */
interface LokiTargetExtras extends Omit<PodPlacementValues, 'affinity'> {
  readonly extraEnv?: readonly EnvValues[];
  readonly extraVolumes?: readonly SecretVolumeValues[];
  readonly extraVolumeMounts?: readonly VolumeMountValues[];
}

/** The data volume without persistence: the manifests' size-limited emptyDir (templates/_pod.tpl). */
interface DataVolumeParameters { readonly emptyDir: { readonly sizeLimit: string } }

interface LokiPersistenceValues {
  readonly volumeClaimsEnabled?: boolean;
  readonly enabled?: boolean;
  readonly size?: string;
  readonly storageClass?: string;
  readonly enableStatefulSetAutoDeletePVC?: false;
  readonly dataVolumeParameters?: DataVolumeParameters;
}

/** Monolithic: the single binary. */
export interface LokiSingleBinaryValues extends LokiTargetExtras {
  readonly replicas: 1;
  readonly resources: ResourcesValues;
  readonly persistence: LokiPersistenceValues;
  readonly podManagementPolicy: 'OrderedReady';
  readonly terminationGracePeriodSeconds: number;
  readonly priorityClassName?: string;
  /**
   * The chart's default requires one node per replica; meaningless for one replica and blocks one-node
   * clusters during rollouts: deleted with null (Helm merges maps, so `{}` would keep it).
   */
  readonly affinity: ChartAffinityValues;
  /** The pod falls back to `defaults.automountServiceAccountToken` (true) when unset. */
  readonly automountServiceAccountToken: false;
  readonly extraArgs?: readonly string[];
}

/** One SimpleScalable target (`write`, `read`, `backend`). */
export interface LokiTargetValues extends LokiTargetExtras {
  readonly replicas: number;
  readonly resources: ResourcesValues;
  readonly persistence?: LokiPersistenceValues;
  readonly terminationGracePeriodSeconds: number;
  readonly priorityClassName?: string;
  /** The manifests' preferred anti-affinity (none for one replica) instead of the chart's required one (deleted with null). */
  readonly affinity: ChartAffinityValues;
  readonly topologySpreadConstraints?: readonly unknown[];
  readonly automountServiceAccountToken: false;
}

/**
 * A target's `affinity` as merged over the chart's default: `requiredDuringSchedulingIgnoredDuringExecution:
 * null` deletes the chart's required anti-affinity (unless `loki.pods` asks for one); the rest is the
 * manifests' (the replicas' preferred spread, then the terms of `loki.pods.affinity`).
 */
export interface ChartAffinityValues {
  readonly nodeAffinity?: unknown;
  readonly podAffinity?: unknown;
  readonly podAntiAffinity: {
    readonly requiredDuringSchedulingIgnoredDuringExecution: readonly unknown[] | null;
    readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly unknown[];
  };
}

/** The manifests' affinity of a target (`spreadReplicas` plus the user's terms) with the chart's required anti-affinity deleted. */
function chartAffinity(affinity: { readonly podAntiAffinity?: { readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly unknown[]; readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly unknown[] } } | undefined): ChartAffinityValues {
  const { requiredDuringSchedulingIgnoredDuringExecution: required, ...anti } = affinity?.podAntiAffinity ?? {};
  return { ...affinity, podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: required ?? null, ...anti } };
}

export interface LokiChartValues {
  readonly deploymentMode: 'Monolithic' | 'SimpleScalable';
  readonly loki: {
    readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent' };
    /** Whole Loki config as a (tpl-evaluated) YAML string. */
    readonly config: string;
    readonly schemaConfig: { readonly configs: readonly unknown[] };
    readonly useTestSchema: false;
    readonly auth_enabled: boolean;
    readonly storage: { readonly type: LokiStorageType; readonly bucketNames?: { readonly chunks: string; readonly ruler: string; readonly admin: string } };
    readonly server: { readonly http_listen_port: number; readonly grpc_listen_port: number };
    readonly podSecurityContext: PodSecurityContextValues;
  };
  /** Read by every target before `loki.*` (see the header). */
  readonly defaults: {
    readonly containerSecurityContext: ContainerSecurityContextValues;
    readonly livenessProbe: ProbeValues;
    readonly readinessProbe: ProbeValues;
    readonly startupProbe: ProbeValues;
  };
  readonly singleBinary: LokiSingleBinaryValues | { readonly replicas: 0 };
  readonly sidecar: { readonly rules: { readonly enabled: boolean } };
  readonly serviceAccount: { readonly create: boolean; readonly automountServiceAccountToken: boolean; readonly annotations?: Readonly<Record<string, string>> };
  readonly memberlist?: { readonly service: { readonly publishNotReadyAddresses: boolean } };
  readonly gateway: { readonly enabled: boolean };
  readonly chunksCache: { readonly enabled: boolean };
  readonly resultsCache: { readonly enabled: boolean };
  readonly lokiCanary: { readonly enabled: boolean };
  readonly test: { readonly enabled: boolean };
  readonly minio: { readonly enabled: false };
  readonly backend: LokiTargetValues | { readonly replicas: 0 };
  readonly read: LokiTargetValues | { readonly replicas: 0 };
  readonly write: LokiTargetValues | { readonly replicas: 0 };
  readonly imagePullSecrets?: ReadonlyArray<{ readonly name: string }>;
  readonly commonLabels?: Readonly<Record<string, string>>;
}

export interface LokiValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation (`helmEndpoints`). */
  readonly endpoints: Endpoints;
  /** Release name of the loki chart (pod selector labels for the spread rules); default the chart key. */
  readonly release?: string;
  /** The manifests' Loki pod by workload name (`loki`, or `loki-write`, `loki-read`, `loki-backend`). */
  readonly pods: (name: string) => ManifestsPod;
}

/** The loki.yaml the Helm installation runs: the manifests' renderer with the chart Services' addresses. */
export function helmLokiConfig({ cfg, endpoints }: Pick<LokiValuesInput, 'cfg' | 'endpoints'>) {
  const scalable: LokiScalableEndpoints | undefined = cfg.loki.mode === 'simple-scalable' ? endpoints.loki.scalable : undefined;
  if (cfg.loki.mode === 'simple-scalable' && scalable === undefined) throw new Error('loki: simple-scalable mode needs the chart\'s scalable Services (helmEndpoints)');
  return renderLokiConfig({
    config: cfg.loki,
    httpPort: endpoints.loki.http.port,
    grpcPort: endpoints.loki.grpc.port,
    dataDir: LOKI_PATHS.dataDir,
    scalable: scalable && lokiScalableAddresses(scalable),
  });
}

/**
 * Go's default `GOGC`, named so the chart adds none of its own (80): the manifests set no `GOGC`, so their
 * Loki runs with Go's default, and the chart's Loki should pace its garbage collector the same way.
 */
export const LOKI_GOGC_ENV: EnvValues = { name: 'GOGC', value: '100' };

/**
 * A Loki pod's env (the manifests' `GOMEMLIMIT` for `resources`, Go's default `GOGC`, then the credentials'
 * Secret references), volumes and the Azure workload-identity pod label; empty keys are left out.
 */
function targetExtras(cfg: StackConfig, resources: ResourceSpec): LokiTargetExtras {
  const o = cfg.loki.objectStorage;
  const creds = objectStorageCredentialValues(o);
  const podLabels = workloadIdentityPodLabels(o);
  return {
    extraEnv: [goMemLimitEnvValues(resources), LOKI_GOGC_ENV, ...creds.env],
    ...(creds.volumes.length > 0 ? { extraVolumes: creds.volumes } : {}),
    ...(creds.mounts.length > 0 ? { extraVolumeMounts: creds.mounts } : {}),
    // Affinity is set per target (chartAffinity), from the same settings.
    ...podPlacementValues({ ...cfg.loki.pods, affinity: {} }, cfg.common, { podLabels }),
  };
}

export function lokiValues(input: LokiValuesInput): LokiChartValues {
  const { cfg } = input;
  const { common } = cfg;
  const l = cfg.loki;
  const o = l.objectStorage;
  const scalable = l.mode === 'simple-scalable';
  if (scalable && o.type === 'filesystem') throw new Error('loki.objectStorage.type: "filesystem" cannot back simple-scalable mode in the loki chart; configure s3, gcs or azure');
  const config = helmLokiConfig(input);
  assertOnlyExpandableRefs('loki', config, expandableEnvRefs(o));
  const text = toYaml(config);
  const storageClass = l.storage.storageClassName ?? common.storageClassName;
  const image = registryImageValues(cfg.loki.image, common);
  const saAnnotations = serviceAccountAnnotations(o);
  // The chart's pod selector labels (`loki.selectorLabels` plus the target's component).
  const chartPodSelector = (target: string) => ({ 'app.kubernetes.io/name': lokiHelm.pod.appName, 'app.kubernetes.io/instance': input.release ?? LOKI_CHART.key, 'app.kubernetes.io/component': target });
  const podName = (target: 'write' | 'read' | 'backend' | undefined) => (target === undefined ? 'loki' : `loki-${target}`);
  // The data emptyDir of a pod without a claim, sized as in the manifests.
  const dataVolume = (pod: ManifestsPod): { dataVolumeParameters: DataVolumeParameters } => ({ dataVolumeParameters: { emptyDir: { sizeLimit: emptyDirLimit(pod, LOKI_PATHS.dataDir) } } });
  const target = (name: 'write' | 'read' | 'backend', spec: { replicas: number; resources: ResourceSpec }): LokiTargetValues => {
    const spread = spreadReplicas(spec.replicas, chartPodSelector(name));
    const pod = input.pods(podName(name));
    // Write and backend keep state (WAL, compactor and index caches) on a claim when storage is persistent, as in the manifests.
    const claim = name !== 'read' && l.storage.persistent;
    return {
      replicas: spec.replicas,
      resources: resourcesValues(spec.resources),
      persistence: name === 'read' ? dataVolume(pod) : {
        volumeClaimsEnabled: l.storage.persistent,
        enabled: l.storage.persistent,
        size: l.storage.size,
        ...(storageClass !== undefined ? { storageClass } : {}),
        enableStatefulSetAutoDeletePVC: false,
        ...(claim ? {} : dataVolume(pod)),
      },
      // Time to flush in-memory chunks on shutdown (ingester.wal.flush_on_shutdown); reads stop quickly.
      terminationGracePeriodSeconds: gracePeriodOf(pod),
      ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
      affinity: chartAffinity(mergeAffinity(spread.affinity, l.pods.affinity)),
      ...(spread.topologySpreadConstraints ? { topologySpreadConstraints: spread.topologySpreadConstraints } : {}),
      // No rules sidecar and no API access needed (the backend's default is true for that sidecar).
      automountServiceAccountToken: false,
      ...targetExtras(cfg, spec.resources),
    };
  };
  // Every Loki pod of the manifests shares security and probes; the first one stands for all.
  const first = input.pods(podName(scalable ? 'write' : undefined));
  const single = scalable ? undefined : first;
  return {
    deploymentMode: scalable ? 'SimpleScalable' : 'Monolithic',
    loki: {
      image,
      config: tplEscape(text, 2),
      // Required by templates/validate.yaml even though loki.config carries it already.
      schemaConfig: { configs: config.schema_config.configs },
      useTestSchema: false,
      auth_enabled: config.auth_enabled,
      storage: o.type === 'filesystem' ? { type: 'filesystem' } : { type: o.type, bucketNames: { chunks: o.bucket, ruler: o.bucket, admin: o.bucket } },
      // The chart's container and Service ports come from here: the same as in loki.config.
      server: { http_listen_port: config.server.http_listen_port, grpc_listen_port: config.server.grpc_listen_port },
      podSecurityContext: podSecurityOf(first) as PodSecurityContextValues,
    },
    defaults: {
      containerSecurityContext: containerSecurityOf(first) as ContainerSecurityContextValues,
      livenessProbe: probeOf(first, 'livenessProbe'),
      readinessProbe: probeOf(first, 'readinessProbe'),
      startupProbe: probeOf(first, 'startupProbe'),
    },
    singleBinary: single === undefined ? { replicas: 0 } : {
      replicas: 1,
      resources: resourcesValues(l.resources),
      persistence: {
        enabled: l.storage.persistent,
        size: l.storage.size,
        ...(storageClass !== undefined ? { storageClass } : {}),
        enableStatefulSetAutoDeletePVC: false,
        ...(l.storage.persistent ? {} : dataVolume(single)),
      },
      podManagementPolicy: 'OrderedReady',
      // Time to flush in-memory chunks on shutdown (as in the manifests).
      terminationGracePeriodSeconds: gracePeriodOf(single),
      ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
      affinity: chartAffinity(mergeAffinity(undefined, l.pods.affinity)),
      // No API access needed; unset, the pod would take `defaults.automountServiceAccountToken` (true).
      automountServiceAccountToken: false,
      ...targetExtras(cfg, l.resources),
    },
    sidecar: { rules: { enabled: false } },
    serviceAccount: { create: true, automountServiceAccountToken: false, ...(saAnnotations ? { annotations: saAnnotations } : {}) },
    // Ring members must find each other before they are ready (as the manifests' memberlist Service).
    ...(scalable ? { memberlist: { service: { publishNotReadyAddresses: true } } } : {}),
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    minio: { enabled: false },
    backend: scalable ? target('backend', l.backend) : { replicas: 0 },
    read: scalable ? target('read', l.read) : { replicas: 0 },
    write: scalable ? target('write', l.write) : { replicas: 0 },
    imagePullSecrets: common.imagePullSecrets.map((name) => ({ name })),
    commonLabels: { ...common.labels },
  };
}
