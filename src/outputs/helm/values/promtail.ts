/**
 * Typed values for grafana/promtail 6.17.1 - a DEPRECATED chart (frozen; Promtail reached end of life on
 * 2026-03-02, Alloy is the successor). Interface only: the builder (`promtailValues`) is to be written
 * from the Promtail config renderer.
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
 */
import type { ContainerSecurityContextValues, PodSecurityContextValues, ResourcesValues } from './common';

export interface PromtailChartValues {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent' };
  readonly imagePullSecrets: ReadonlyArray<{ readonly name: string }>;
  readonly config: { readonly serverPort: number; readonly file: string };
  readonly service: { readonly enabled: boolean };
  readonly serviceMonitor: { readonly enabled: false };
  readonly resources: ResourcesValues;
  readonly podSecurityContext: PodSecurityContextValues;
  readonly containerSecurityContext: ContainerSecurityContextValues;
  readonly tolerations: ReadonlyArray<{ readonly operator: 'Exists' }>;
  readonly priorityClassName?: string | null;
}
