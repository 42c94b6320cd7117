/**
 * Typed values for grafana-community/tempo 2.2.4 (single binary). Interface only: the builder
 * (`tempoValues`) is to be written from the Tempo config renderer.
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
 */
import type { ContainerSecurityContextValues, PodSecurityContextValues, ResourcesValues } from './common';

export interface TempoReceiverEndpoint { readonly endpoint: string }

export interface TempoChartValues {
  readonly tempo: {
    readonly registry: string;
    readonly repository: string;
    readonly tag: string;
    readonly pullPolicy: 'IfNotPresent';
    readonly resources: ResourcesValues;
    readonly securityContext: ContainerSecurityContextValues;
    readonly reportingEnabled: boolean;
    readonly receivers: {
      readonly otlp?: { readonly protocols: { readonly grpc?: TempoReceiverEndpoint | null; readonly http?: TempoReceiverEndpoint | null } } | null;
      readonly jaeger?: { readonly protocols: Readonly<Record<'grpc' | 'thrift_http' | 'thrift_binary' | 'thrift_compact', TempoReceiverEndpoint | null>> } | null;
      readonly zipkin?: TempoReceiverEndpoint | null;
    };
    readonly per_tenant_overrides: Readonly<Record<string, unknown>>;
  };
  /** The whole tempo.yaml as a (tpl-evaluated) YAML string. */
  readonly config: string;
  readonly securityContext: PodSecurityContextValues;
  readonly persistence: { readonly enabled: boolean; readonly size: string; readonly storageClassName?: string };
  readonly serviceAccount: { readonly create: boolean; readonly imagePullSecrets: ReadonlyArray<{ readonly name: string }> };
  readonly tempoQuery: { readonly enabled: false };
  readonly priorityClassName?: string;
}
