/**
 * Values for grafana-community/loki 18.11.0 (Monolithic, filesystem storage): `loki.config` is the text
 * `renderLokiConfig` produces for the manifests, so retention, limits, schema and tenancy are the same.
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
 * - Security: `loki.podSecurityContext`/`loki.containerSecurityContext` default to restricted-compliant
 *   (uid 10001, RuntimeDefault, drop ALL, read-only root). Namespace: `.Release.Namespace` or `namespaceOverride`.
 * - `loki.calculatedConfig` (templates/_helpers.tpl) runs `tpl` TWICE over the config (once on
 *   `loki.config`, once on the merged result), hence `tplEscape(text, 2)`; the merge re-serialises the YAML
 *   (same data, keys sorted).
 * - The container runs with `-config.expand-env=true` (templates/_pod.tpl), so a `$` in the config would
 *   be expanded: the builder refuses one rather than ship a different config.
 * - The data volume (`storage`) is mounted at /var/loki, the manifests' data directory, as a PVC with
 *   `singleBinary.persistence.enabled` and an emptyDir otherwise. The rules sidecar (a ConfigMap watcher
 *   with cluster-wide read access) is off: the manifests run no ruler rules.
 */
import { renderLokiConfig } from '../../../components/loki/loki-config';
import { LOKI_PATHS } from '../../../components/loki/loki';
import type { StackConfig } from '../../../config/types';
import type { Endpoints } from '../../../lib/endpoints';
import { RESTRICTED_CONTAINER_SECURITY, restrictedPodSecurity } from '../../../lib/kube';
import { toYaml } from '../../../lib/yaml';
import {
  type ContainerSecurityContextValues, type PodSecurityContextValues, type ResourcesValues,
  registryImageValues, resourcesValues, tplEscape,
} from './common';

/** The uid/gid of the upstream image (`loki`), as in the manifests. */
const LOKI_UID = 10001;

export interface LokiChartValues {
  readonly deploymentMode: 'Monolithic';
  readonly loki: {
    readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent' };
    /** Whole Loki config as a (tpl-evaluated) YAML string. */
    readonly config: string;
    readonly schemaConfig: { readonly configs: readonly unknown[] };
    readonly useTestSchema: false;
    readonly auth_enabled: boolean;
    readonly storage: { readonly type: 'filesystem' };
    readonly server: { readonly http_listen_port: number; readonly grpc_listen_port: number };
    readonly podSecurityContext: PodSecurityContextValues;
    readonly containerSecurityContext: ContainerSecurityContextValues;
  };
  readonly singleBinary: {
    readonly replicas: 1;
    readonly resources: ResourcesValues;
    readonly persistence: { readonly enabled: boolean; readonly size: string; readonly storageClass?: string | null; readonly enableStatefulSetAutoDeletePVC: false };
    readonly podManagementPolicy: 'OrderedReady';
    readonly terminationGracePeriodSeconds: number;
    readonly priorityClassName?: string;
    /** The chart's default requires one node per replica; meaningless for one replica and blocks one-node clusters during rollouts. */
    readonly affinity: Readonly<Record<string, never>>;
    readonly extraArgs?: readonly string[];
  };
  readonly sidecar: { readonly rules: { readonly enabled: boolean } };
  readonly serviceAccount: { readonly create: boolean; readonly automountServiceAccountToken: boolean };
  readonly gateway: { readonly enabled: boolean };
  readonly chunksCache: { readonly enabled: boolean };
  readonly resultsCache: { readonly enabled: boolean };
  readonly lokiCanary: { readonly enabled: boolean };
  readonly test: { readonly enabled: boolean };
  readonly minio: { readonly enabled: false };
  readonly backend: { readonly replicas: 0 };
  readonly read: { readonly replicas: 0 };
  readonly write: { readonly replicas: 0 };
  readonly imagePullSecrets?: ReadonlyArray<{ readonly name: string }>;
  readonly commonLabels?: Readonly<Record<string, string>>;
}

export interface LokiValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation (`helmEndpoints`). */
  readonly endpoints: Endpoints;
}

/** The loki.yaml the Helm installation runs: the manifests' renderer with the chart Service's ports. */
export function helmLokiConfig({ cfg, endpoints }: LokiValuesInput) {
  return renderLokiConfig({ config: cfg.loki, httpPort: endpoints.loki.http.port, grpcPort: endpoints.loki.grpc.port, dataDir: LOKI_PATHS.dataDir });
}

export function lokiValues(input: LokiValuesInput): LokiChartValues {
  const { cfg } = input;
  const { common } = cfg;
  const l = cfg.loki;
  const config = helmLokiConfig(input);
  const text = toYaml(config);
  if (text.includes('$')) throw new Error('loki: the rendered config contains "$", which the chart\'s -config.expand-env=true would expand');
  const storageClass = l.storage.storageClassName ?? common.storageClassName;
  const image = registryImageValues(cfg.images.loki, common);
  return {
    deploymentMode: 'Monolithic',
    loki: {
      image,
      config: tplEscape(text, 2),
      // Required by templates/validate.yaml even though loki.config carries it already.
      schemaConfig: { configs: config.schema_config.configs },
      useTestSchema: false,
      auth_enabled: config.auth_enabled,
      storage: { type: 'filesystem' },
      // The chart's container and Service ports come from here: the same as in loki.config.
      server: { http_listen_port: config.server.http_listen_port, grpc_listen_port: config.server.grpc_listen_port },
      podSecurityContext: restrictedPodSecurity(LOKI_UID) as PodSecurityContextValues,
      containerSecurityContext: { ...RESTRICTED_CONTAINER_SECURITY, capabilities: { drop: ['ALL'] } },
    },
    singleBinary: {
      replicas: 1,
      resources: resourcesValues(l.resources),
      persistence: {
        enabled: l.storage.persistent,
        size: l.storage.size,
        ...(storageClass !== undefined ? { storageClass } : {}),
        enableStatefulSetAutoDeletePVC: false,
      },
      podManagementPolicy: 'OrderedReady',
      // Time to flush in-memory chunks on shutdown (as in the manifests).
      terminationGracePeriodSeconds: 120,
      ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
      affinity: {},
    },
    sidecar: { rules: { enabled: false } },
    serviceAccount: { create: true, automountServiceAccountToken: false },
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    minio: { enabled: false },
    backend: { replicas: 0 },
    read: { replicas: 0 },
    write: { replicas: 0 },
    imagePullSecrets: common.imagePullSecrets.map((name) => ({ name })),
    commonLabels: { ...common.labels },
  };
}
