/**
 * The cluster's own components the scraper scrapes (the stack deploys nothing for them): the kubelet of
 * every node (its /metrics, the embedded cAdvisor at /metrics/cadvisor and probe results at
 * /metrics/probes), the API server and CoreDNS. Type, defaults, per-profile values and validation, hooked
 * into src/config with one line each.
 */
import * as z from 'zod';
import { flag, httpUrl, obj, port, type ProfileChanges } from '../../config/fields';

export const kubernetesTargetsSchema = obj({
  kubelet: obj({
    /** Scrape each kubelet's `/metrics` (pod counts, volume usage, log file sizes). */
    metrics: flag(),
    /** Scrape `/metrics/cadvisor`: per-container CPU, memory and network from the kubelet's own cAdvisor. */
    cadvisor: flag(),
    /** Scrape `/metrics/probes`: liveness, readiness and startup probe results per container. */
    probes: flag(),
    /**
     * The kubelet's HTTPS port on every node (the NetworkPolicies open it; the scraper reads the actual port
     * from each Node object).
     */
    port: port(10250),
    /**
     * Skip verifying the kubelet's serving certificate. Most clusters (kubeadm, kind, k3s) give each kubelet a
     * self-signed certificate that no CA file can verify; set false where kubelet certificates are signed by
     * the cluster CA (`serverTLSBootstrap: true`). The ServiceAccount token is sent either way.
     */
    insecureSkipVerify: flag(),
  }).readonly(),
  /** Scrape the API server (every endpoint of the `kubernetes` Service in `default`). */
  apiServer: obj({ enabled: flag() }).readonly(),
  /** Scrape CoreDNS: the pods `networkPolicy.dns` names (namespace and labels), on `port`. */
  coredns: obj({ enabled: flag(), port: port(9153) }).readonly(),
  /** Base URL of the runbooks linked from the cluster alerts (`<base>/<group>/<alert name in lower case>`), no trailing slash. */
  runbookBaseUrl: httpUrl('https://runbooks.prometheus-operator.dev/runbooks'),
}).readonly();

export type KubeletTargetsConfig = KubernetesTargetsConfig['kubelet'];
export type KubernetesTargetsConfig = z.infer<typeof kubernetesTargetsSchema>;

export const KUBERNETES_TARGETS_DEFAULTS: KubernetesTargetsConfig = {
  kubelet: { metrics: true, cadvisor: true, probes: true, port: 10250, insecureSkipVerify: true },
  apiServer: { enabled: true },
  coredns: { enabled: true, port: 9153 },
  runbookBaseUrl: 'https://runbooks.prometheus-operator.dev/runbooks',
};

export const KUBERNETES_TARGETS_PROFILES: ProfileChanges<KubernetesTargetsConfig> = {};
