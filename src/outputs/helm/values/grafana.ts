/**
 * Typed values for grafana-community/grafana 12.11.1. Interface only: the builder (`grafanaValues`) is to be
 * written from the Grafana provisioning renderers.
 *
 * Chart facts (templates at charts/grafana, ref grafana-12.11.1):
 * - Service `<fullname>` port `service.port` (80) named `service.portName` ("service"), targetPort
 *   `service.targetPort` (3000): keep targetPort = our `grafana.ini` `server.http_port`.
 * - Pods: app.kubernetes.io/name=grafana; container port named `podPortName` ("grafana"), metrics /metrics.
 * - Admin: `admin.existingSecret` + `userKey`/`passwordKey` (never `adminPassword`); with no Secret the
 *   chart generates a random password into a Secret, which breaks determinism - the dev profile must
 *   decide (existingSecret is required outside `allowDefaultAdmin`). `assertNoLeakedSecrets` stays true.
 * - Datasources: `datasources: { 'datasources.yaml': { apiVersion: 1, datasources: [...] } }`;
 *   dashboards via `dashboardProviders` + `dashboards` (inline `json`) or `sidecar.dashboards`.
 * - Security: `securityContext` (uid 472, non-root) and `containerSecurityContext` (drop ALL,
 *   RuntimeDefault) default restricted-compliant; add readOnlyRootFilesystem if the manifests do.
 * - `testFramework.enabled` default true (a test pod): turn off. Namespace: `namespaceOverride` or release.
 */
import type { ContainerSecurityContextValues, PodSecurityContextValues, ResourcesValues } from './common';

export interface GrafanaChartValues {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent'; readonly pullSecrets: readonly string[] };
  readonly admin: { readonly existingSecret: string; readonly userKey: string; readonly passwordKey: string };
  readonly 'grafana.ini': Readonly<Record<string, Readonly<Record<string, string | number | boolean>>>>;
  readonly datasources: { readonly 'datasources.yaml': { readonly apiVersion: 1; readonly datasources: readonly unknown[] } };
  readonly dashboardProviders?: { readonly 'dashboardproviders.yaml': { readonly apiVersion: 1; readonly providers: readonly unknown[] } };
  readonly dashboards?: Readonly<Record<string, Readonly<Record<string, { readonly json: string }>>>>;
  readonly persistence: { readonly enabled: boolean; readonly size: string; readonly storageClassName?: string };
  readonly resources: ResourcesValues;
  readonly securityContext: PodSecurityContextValues;
  readonly containerSecurityContext: ContainerSecurityContextValues;
  readonly service: { readonly port: number; readonly targetPort: number };
  readonly ingress: { readonly enabled: boolean; readonly ingressClassName?: string; readonly hosts?: readonly string[]; readonly tls?: ReadonlyArray<{ readonly secretName: string; readonly hosts: readonly string[] }> };
  readonly testFramework: { readonly enabled: false };
  readonly priorityClassName?: string;
}
