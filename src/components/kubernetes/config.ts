/**
 * The cluster's own components Prometheus scrapes (the stack deploys nothing for them): the kubelet of
 * every node (its /metrics, the embedded cAdvisor at /metrics/cadvisor and probe results at
 * /metrics/probes), the API server and CoreDNS. Type, defaults, per-profile values and validation, hooked
 * into src/config with one line each.
 */
import type { DeepPartial, ProfileName } from '../../config/types';
import type { Checker } from '../../config/validate';

export interface KubeletTargetsConfig {
  /** Scrape each kubelet's `/metrics` (pod counts, volume usage, log file sizes). */
  readonly metrics: boolean;
  /** Scrape `/metrics/cadvisor`: per-container CPU, memory and network from the kubelet's own cAdvisor. */
  readonly cadvisor: boolean;
  /** Scrape `/metrics/probes`: liveness, readiness and startup probe results per container. */
  readonly probes: boolean;
  /**
   * The kubelet's HTTPS port on every node (the NetworkPolicies open it; Prometheus reads the actual port
   * from each Node object).
   */
  readonly port: number;
  /**
   * Skip verifying the kubelet's serving certificate. Most clusters (kubeadm, kind, k3s) give each kubelet a
   * self-signed certificate that no CA file can verify; set false where kubelet certificates are signed by
   * the cluster CA (`serverTLSBootstrap: true`). The ServiceAccount token is sent either way.
   */
  readonly insecureSkipVerify: boolean;
}

export interface KubernetesTargetsConfig {
  readonly kubelet: KubeletTargetsConfig;
  /** Scrape the API server (every endpoint of the `kubernetes` Service in `default`). */
  readonly apiServer: { readonly enabled: boolean };
  /**
   * Scrape CoreDNS: the pods `networkPolicy.dns` names (namespace and labels), on `port`.
   */
  readonly coredns: { readonly enabled: boolean; readonly port: number };
  /** Base URL of the runbooks linked from the cluster alerts (`<base>/<group>/<alert name in lower case>`). */
  readonly runbookBaseUrl: string;
}

export const KUBERNETES_TARGETS_DEFAULTS: KubernetesTargetsConfig = {
  kubelet: { metrics: true, cadvisor: true, probes: true, port: 10250, insecureSkipVerify: true },
  apiServer: { enabled: true },
  // CoreDNS serves metrics on 9153 (the `prometheus :9153` line of the default Corefile).
  coredns: { enabled: true, port: 9153 },
  // The runbooks published for the kubernetes-mixin alert names these alerts share.
  runbookBaseUrl: 'https://runbooks.prometheus-operator.dev/runbooks',
};

export const KUBERNETES_TARGETS_PROFILES: Readonly<Record<ProfileName, DeepPartial<KubernetesTargetsConfig>>> = {
  dev: {},
  prod: {},
  large: {},
};

export function validateKubernetesTargets(c: Checker, cfg: KubernetesTargetsConfig): void {
  c.boolean('kubernetes.kubelet.metrics', cfg.kubelet.metrics);
  c.boolean('kubernetes.kubelet.cadvisor', cfg.kubelet.cadvisor);
  c.boolean('kubernetes.kubelet.probes', cfg.kubelet.probes);
  c.boolean('kubernetes.kubelet.insecureSkipVerify', cfg.kubelet.insecureSkipVerify);
  c.port('kubernetes.kubelet.port', cfg.kubelet.port, 10250);
  c.boolean('kubernetes.apiServer.enabled', cfg.apiServer.enabled);
  c.boolean('kubernetes.coredns.enabled', cfg.coredns.enabled);
  c.port('kubernetes.coredns.port', cfg.coredns.port, 9153);
  if (typeof cfg.runbookBaseUrl !== 'string' || !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~%/-]*)?$/.test(cfg.runbookBaseUrl) || cfg.runbookBaseUrl.endsWith('/')) {
    c.fail('kubernetes.runbookBaseUrl', cfg.runbookBaseUrl, 'is not an http(s) URL without a trailing slash', 'use e.g. "https://runbooks.prometheus-operator.dev/runbooks" or your own runbook site');
  }
}
