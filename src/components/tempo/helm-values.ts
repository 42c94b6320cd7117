/**
 * Values for grafana-community/tempo 2.2.4 (single binary): `config` is the text `renderTempoConfig`
 * produces for the manifests (retention, receivers, metrics-generator and its per-tenant processors in
 * `overrides.defaults`), with the remote write pointed at the installation's metrics store.
 *
 * Chart facts (templates at charts/tempo, ref tempo-2.2.4):
 * - Config: templates/configmap-tempo.yaml writes `tempo.yaml` = tpl(top-level `config`) and
 *   `overrides.yaml` from `tempo.per_tenant_overrides` (at /conf/overrides.yaml). Set `config` to our
 *   rendered YAML (escape `{{`); the metrics-generator processors go in the overrides as in the manifests.
 * - Service `<fullname>` (templates/service.yaml, templates/_ports.tpl): tempo-prom-metrics 3200 and
 *   zipkin 9411 always; the receiver ports are taken from `tempo.receivers.*.endpoint` (`host:port`) with
 *   FIXED targetPorts 4317/4318/14250/14268, so `tempo.receivers` must mirror our config's receivers
 *   (set unused ones to null to drop their Service ports) and our ports must be the upstream defaults.
 * - Pods: app.kubernetes.io/name=tempo; metrics container port `prom-metrics` (3200, fixed).
 * - Security: pod `securityContext` defaults to uid 10001 non-root (add seccomp RuntimeDefault);
 *   container `tempo.securityContext` is empty by default (set restricted). Storage: `persistence.*`.
 * - Namespace: `.Release.Namespace` only (no override).
 * - templates/_ports.tpl dereferences `tempo.receivers.<r>.protocols.<p>` without a guard: a receiver set
 *   to null makes the template fail, so an unused receiver keeps its map with an EMPTY endpoint (the
 *   `with` skips its Service port). Zipkin's Service port (9411) and the OTLP legacy ports are always
 *   there; nothing listens behind them unless the config enables the receiver.
 * - The metrics-generator processors: Tempo reads them from `overrides.defaults` of tempo.yaml (as in the
 *   manifests); `tempo.per_tenant_overrides` (the chart's overrides.yaml) stays empty.
 * - Object storage: the store and `${VAR}` credential references are in our rendered config; the chart's
 *   `tempo.extraArgs` adds `-config.expand-env=true` exactly when the manifests do (`needsEnvExpansion`),
 *   and then every `$` in the config must be one of those references (else refused). Credentials are the
 *   manifests' env (`secretKeyRef`) in `tempo.extraEnv` and the GCS key Secret volume in `extraVolumes`/
 *   `tempo.extraVolumeMounts`; workload identity: `serviceAccount.annotations` and, for Azure, `podLabels`.
 * - Replicas: the chart has `replicas`, but the StatefulSet's `serviceName` (`<fullname>-headless`) is a
 *   Service the chart never creates and there is no memberlist port or Service, so scalable-single-binary
 *   pods could not find each other: `tempo.replicas > 1` is refused for the Helm path (helm.ts
 *   `problems`; the multi-replica Helm install is the tempo-distributed chart, not generated here).
 * - The data volume is mounted at /var/tempo only with `persistence.enabled`; without it we add an emptyDir
 *   there (the root filesystem is read-only), plus /tmp, both of the manifests' size.
 * - Pod facts from the manifests' StatefulSet (`manifestsPod`): security contexts and probes. The chart has
 *   no startup probe and no grace period value (templates/statefulset.yaml; the pod keeps Kubernetes' 30 s):
 *   liveness waits out the manifests' whole start-up allowance (`initialDelaySeconds` = the startup probe's
 *   failureThreshold x period), so a WAL replay is not killed half-way; the README's differences list both.
 * - The chart sets no `GOMEMLIMIT`; `tempo.extraEnv` carries the manifests' value first, then the credentials
 *   (the manifests' env, in the same order).
 * - templates/statefulset.yaml always passes `-mem-ballast-size-mbs={{ .Values.tempo.memBallastSizeMbs }}`,
 *   default 1024: a 1 GiB ballast counts against GOMEMLIMIT (the collector would run near-constantly on
 *   small limits). `memBallastSizeMbs: 0` is Tempo's own default (`cmd/tempo/main.go`), as the manifests run.
 */
import { TEMPO_PATHS, generatorRemoteWriteUrl, tempoReceiverPorts } from './tempo';
import { type TempoConfigFile, renderTempoConfig } from './tempo-config';
import { tempoSizing } from './sizing';
import { metricsSeriesBudget } from '../../lib/series-budget';
import type { StackConfig } from '../../config/types';
import type { Endpoints } from '../registry';
import { WireLog } from '../../lib/wiring';
import { type ManifestsPod, type ProbeValues, containerSecurityOf, emptyDirLimit, podSecurityOf, probeOf, startupSeconds } from '../../lib/manifests-pods';
import { toYaml } from '../../lib/yaml';
import { needsEnvExpansion, serviceAccountAnnotations, workloadIdentityPodLabels } from '../../lib/object-storage';
import {
  type ContainerSecurityContextValues, type EnvValues, type PodSecurityContextValues, type ResourcesValues,
  type PodPlacementValues, type SecretVolumeValues, type VolumeMountValues,
  assertOnlyExpandableRefs, expandableEnvRefs, goMemLimitEnvValues, objectStorageCredentialValues, podPlacementValues, registryImageValues, resourcesValues,
  tplEscape,
} from '../../lib/helm-values';

/** An empty endpoint removes the receiver's Service port (see the header). */
export interface TempoReceiverEndpoint { readonly endpoint: string }

export interface TempoChartValues extends PodPlacementValues {
  readonly tempo: {
    readonly registry: string;
    readonly repository: string;
    readonly tag: string;
    readonly pullPolicy: 'IfNotPresent';
    readonly resources: ResourcesValues;
    readonly securityContext: ContainerSecurityContextValues;
    readonly reportingEnabled: boolean;
    /** Always passed as `-mem-ballast-size-mbs`; 0 = no ballast (Tempo's default, as the manifests). */
    readonly memBallastSizeMbs: 0;
    readonly receivers: {
      readonly otlp: { readonly protocols: { readonly grpc: TempoReceiverEndpoint; readonly http: TempoReceiverEndpoint } };
      readonly jaeger: { readonly protocols: Readonly<Record<'grpc' | 'thrift_http' | 'thrift_binary' | 'thrift_compact', TempoReceiverEndpoint>> };
    };
    readonly per_tenant_overrides: Readonly<Record<string, unknown>>;
    readonly pullSecrets: readonly string[];
    readonly extraVolumeMounts: readonly VolumeMountValues[];
    /** `-<key>=<value>` flags. */
    readonly extraArgs?: Readonly<Record<string, string>>;
    readonly extraEnv: readonly EnvValues[];
    readonly livenessProbe: ProbeValues;
    readonly readinessProbe: ProbeValues;
  };
  readonly extraVolumes: ReadonlyArray<{ readonly name: string; readonly emptyDir: { readonly sizeLimit: string } } | SecretVolumeValues>;
  /** The whole tempo.yaml as a (tpl-evaluated) YAML string. */
  readonly config: string;
  readonly securityContext: PodSecurityContextValues;
  readonly persistence: { readonly enabled: boolean; readonly size: string; readonly storageClassName?: string; readonly accessModes: readonly string[] };
  readonly serviceAccount: { readonly create: boolean; readonly automountServiceAccountToken: boolean; readonly annotations?: Readonly<Record<string, string>> };
  readonly tempoQuery: { readonly enabled: false };
  readonly priorityClassName?: string;
}

export interface TempoValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation (`helmEndpoints`). */
  readonly endpoints: Endpoints;
  /** The manifests' Tempo pod (probes, security, scratch sizes). */
  readonly pod: ManifestsPod;
  /** Where the Helm installation's connections are recorded. @default - a log of its own */
  readonly wires?: WireLog;
}

/** The tempo.yaml the Helm installation runs: the manifests' renderer fed with the Helm endpoints. */
export function helmTempoConfig({ cfg, endpoints, wires = new WireLog() }: Pick<TempoValuesInput, 'cfg' | 'endpoints' | 'wires'>): TempoConfigFile {
  const t = cfg.tempo;
  return renderTempoConfig({
    objectStorage: t.objectStorage,
    httpPort: endpoints.tempo.http.port,
    grpcPort: endpoints.tempo.grpc.port,
    receivers: tempoReceiverPorts(t, endpoints.tempo),
    retention: t.retention,
    dataDir: TEMPO_PATHS.dataDir,
    sizing: tempoSizing(t, metricsSeriesBudget(cfg)),
    metricsGenerator: t.metricsGenerator
      ? { remoteWriteUrl: generatorRemoteWriteUrl(cfg, endpoints, (...w) => wires.connect(...w)), clusterName: cfg.common.clusterName }
      : undefined,
  });
}

function receiverEndpoint(e: { readonly endpoint: string } | undefined): TempoReceiverEndpoint {
  return { endpoint: e?.endpoint ?? '' };
}

export function tempoValues(input: TempoValuesInput): TempoChartValues {
  const { cfg } = input;
  const { common } = cfg;
  const t = cfg.tempo;
  const config = helmTempoConfig(input);
  const r = config.distributor.receivers;
  const storageClass = t.storage.storageClassName ?? common.storageClassName;
  const o = t.objectStorage;
  const expand = needsEnvExpansion(o);
  if (expand) assertOnlyExpandableRefs('tempo', config, expandableEnvRefs(o));
  const creds = objectStorageCredentialValues(o);
  const saAnnotations = serviceAccountAnnotations(o);
  const podLabels = workloadIdentityPodLabels(o);
  const { pod } = input;
  return {
    tempo: {
      ...registryImageValues(cfg.tempo.image, common),
      resources: resourcesValues(t.resources),
      securityContext: containerSecurityOf(pod) as ContainerSecurityContextValues,
      reportingEnabled: config.usage_report.reporting_enabled,
      memBallastSizeMbs: 0,
      // Service ports only (the listeners are in `config`): the same receivers, the same ports.
      receivers: {
        otlp: { protocols: { grpc: receiverEndpoint(r.otlp?.protocols.grpc), http: receiverEndpoint(r.otlp?.protocols.http) } },
        jaeger: {
          protocols: {
            grpc: receiverEndpoint(r.jaeger?.protocols.grpc),
            thrift_http: receiverEndpoint(r.jaeger?.protocols.thrift_http),
            thrift_binary: receiverEndpoint(undefined),
            thrift_compact: receiverEndpoint(undefined),
          },
        },
      },
      per_tenant_overrides: {},
      pullSecrets: [...common.imagePullSecrets],
      extraVolumeMounts: [
        ...(t.storage.persistent ? [] : [{ name: 'data', mountPath: TEMPO_PATHS.dataDir }]),
        { name: 'tmp', mountPath: TEMPO_PATHS.tmpDir },
        ...creds.mounts,
      ],
      // Object-store credentials are ${VAR} references in the config, filled from Secret-backed env.
      ...(expand ? { extraArgs: { 'config.expand-env': 'true' } } : {}),
      extraEnv: [goMemLimitEnvValues(t.resources), ...creds.env],
      // The manifests' probes; without a startup probe, liveness waits out the start-up allowance (see the header).
      livenessProbe: { ...probeOf(pod, 'livenessProbe'), initialDelaySeconds: startupSeconds(pod) },
      readinessProbe: probeOf(pod, 'readinessProbe'),
    },
    extraVolumes: [
      ...(t.storage.persistent ? [] : [{ name: 'data', emptyDir: { sizeLimit: emptyDirLimit(pod, TEMPO_PATHS.dataDir) } }]),
      { name: 'tmp', emptyDir: { sizeLimit: emptyDirLimit(pod, TEMPO_PATHS.tmpDir) } },
      ...creds.volumes,
    ],
    config: tplEscape(toYaml(config)),
    securityContext: podSecurityOf(pod) as PodSecurityContextValues,
    persistence: {
      enabled: t.storage.persistent,
      size: t.storage.size,
      accessModes: ['ReadWriteOnce'],
      ...(storageClass !== undefined ? { storageClassName: storageClass } : {}),
    },
    serviceAccount: { create: true, automountServiceAccountToken: false, ...(saAnnotations ? { annotations: saAnnotations } : {}) },
    ...podPlacementValues(t.pods, common, { podLabels }),
    tempoQuery: { enabled: false },
    ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
  };
}
