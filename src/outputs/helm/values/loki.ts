/**
 * Typed values for grafana-community/loki 18.11.0 (Monolithic, filesystem storage). Interface only: the
 * builder (`lokiValues`) is to be written from the Loki config renderer.
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
 */
import type { ContainerSecurityContextValues, PodSecurityContextValues, ResourcesValues } from './common';

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
    readonly persistence: { readonly enabled: boolean; readonly size: string; readonly storageClass?: string | null };
    readonly extraArgs?: readonly string[];
  };
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
