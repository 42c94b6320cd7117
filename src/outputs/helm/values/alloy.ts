/**
 * Typed values for grafana/alloy 1.11.1 (chart published from grafana/alloy operations/helm/charts/alloy).
 * Interface only: the builder (`alloyValues`) is to be written from the Alloy config renderer.
 *
 * Chart facts (ref helm-chart/1.11.1):
 * - Config: `alloy.configMap.content` (our rendered River/Alloy text) in a ConfigMap the chart creates;
 *   a config-reloader sidecar (`configReloader.*`) needs resources too.
 * - Service `<fullname>` (templates/service.yaml, `service.enabled` default true) port http-metrics =
 *   `alloy.listenPort` (container port http-metrics, templates/containers/_agent.yaml).
 * - Pods: app.kubernetes.io/name=alloy; `controller.type: daemonset` (default).
 * - Host logs: `alloy.mounts.varlog` / `dockercontainers`; security via `alloy.securityContext`
 *   (empty by default) and `controller.podSecurityContext`. Namespace: `namespaceOverride` or release.
 */
import type { ContainerSecurityContextValues, PodSecurityContextValues, ResourcesValues } from './common';

export interface AlloyChartValues {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent'; readonly pullSecrets: ReadonlyArray<{ readonly name: string }> };
  readonly alloy: {
    readonly configMap: { readonly create: boolean; readonly content: string };
    readonly listenPort: number;
    readonly enableReporting: boolean;
    readonly mounts: { readonly varlog: boolean; readonly dockercontainers: boolean };
    readonly resources: ResourcesValues;
    readonly securityContext: ContainerSecurityContextValues;
  };
  readonly configReloader: { readonly enabled: boolean; readonly resources: ResourcesValues; readonly securityContext: ContainerSecurityContextValues };
  readonly controller: {
    readonly type: 'daemonset';
    readonly podSecurityContext: PodSecurityContextValues;
    readonly tolerations: ReadonlyArray<{ readonly operator: 'Exists' }>;
    readonly priorityClassName?: string;
  };
  readonly service: { readonly enabled: boolean };
}
