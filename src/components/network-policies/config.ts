/**
 * The `networkPolicy` section: DNS, the API server, external stores and the ingress controller the
 * generated NetworkPolicies allow. Schema and defaults.
 */
import * as z from 'zod';
import { cidr, dnsLabel, flag, labels, list, obj, port, report, uniqueBy } from '../../config/fields';

function nonEmpty(message: string, fix: string) {
  return <T>(items: readonly T[], ctx: z.RefinementCtx<readonly T[]>) => {
    if (items.length === 0) report(ctx, [], items, message, fix);
  };
}

export const networkPolicySchema = obj({
  /** Default-deny in both namespaces plus allow rules generated from the wires. */
  enabled: flag(),
  /** Where the cluster DNS pods are, for the DNS egress every pod of the stack needs. */
  dns: obj({
    /** Namespace of the DNS pods (`kube-system` for CoreDNS on kind, kubeadm, k3s, EKS, GKE and AKS). */
    namespace: dnsLabel('kube-system'),
    /** Labels of the DNS pods (`k8s-app: kube-dns` for CoreDNS almost everywhere). */
    podSelector: labels(false).superRefine((s, ctx) => {
      if (Object.keys(s).length === 0) {
        report(ctx, [], s, 'is empty, which would open DNS port egress to every pod of the DNS namespace', 'use the DNS pods\' labels, e.g. { "k8s-app": "kube-dns" }');
      }
    }),
    /** DNS port, allowed over UDP and TCP. */
    port: port(53),
  }).readonly(),
  /**
   * The Kubernetes API server, for the pods that mount a ServiceAccount token (the scraper's pod discovery,
   * the log agents). The API server is not a pod, so no selector can name it: policies see it only as an
   * address. The default (any address on the listed ports, for those pods only) works on every cluster;
   * set the control-plane CIDRs (`kubectl get endpoints kubernetes`) to narrow it.
   */
  kubeApiServer: obj({
    cidrs: list(cidr('172.18.0.2/32'), '["172.18.0.0/16"]')
      .superRefine(nonEmpty('must list at least one CIDR', 'use the control-plane addresses, e.g. ["172.18.0.0/16"], or ["0.0.0.0/0"]'))
      .superRefine(uniqueBy((c) => c, 'is listed twice', 'list each CIDR once')),
    ports: list(port(6443), '[443, 6443]')
      .superRefine(nonEmpty('must list at least one port', 'use e.g. [443, 6443]'))
      .superRefine(uniqueBy((p) => String(p), 'is listed twice', 'list each port once')),
  }).readonly(),
  /**
   * Stores outside the cluster (object storage, remote write, an external metrics datasource): NetworkPolicies
   * can only name them by address, and DNS names resolve to addresses that change (S3, GCS and Azure front
   * ends rotate). The default allows any address, but only on each external endpoint's port and only for the
   * pods wired to it; set the provider's published ranges or a NAT/proxy CIDR to narrow it. An endpoint inside
   * the cluster (`<service>.<namespace>.svc`) is allowed by namespace instead.
   */
  externalEgress: obj({
    cidrs: list(cidr('0.0.0.0/0'), '["52.218.0.0/17"]')
      .superRefine(nonEmpty('must list at least one CIDR', 'use your store\'s address ranges, e.g. ["52.218.0.0/17"], or ["0.0.0.0/0"]'))
      .superRefine(uniqueBy((c) => c, 'is listed twice', 'list each CIDR once')),
  }).readonly(),
  /**
   * The cluster's node addresses, where the kubelet and host-network pods listen: no pod selector can name
   * them, so the scraper's egress to them is an ipBlock. The default (any address, but only on those ports
   * and only for the pods wired to them) works on every cluster; set the nodes' CIDRs to narrow it.
   */
  nodes: obj({
    cidrs: list(cidr('10.0.0.0/16'), '["10.0.0.0/16"]')
      .superRefine(nonEmpty('must list at least one CIDR', 'use the nodes\' address ranges, e.g. ["10.0.0.0/16"], or ["0.0.0.0/0"]'))
      .superRefine(uniqueBy((c) => c, 'is listed twice', 'list each CIDR once')),
  }).readonly(),
  /** Where the ingress controller runs, allowed to reach Grafana when `grafana.ingress.enabled`. */
  ingressController: obj({
    namespace: dnsLabel('ingress-nginx'),
    /** Labels of the controller pods; empty: every pod of that namespace. */
    podSelector: labels(false),
  }).readonly(),
}).readonly();

export type NetworkPolicyConfig = z.infer<typeof networkPolicySchema>;
export type DnsPeer = NetworkPolicyConfig['dns'];

/** Label selectors an override replaces whole: merged with the default one, a selector would match nothing. */
export const REPLACED_SELECTORS: readonly string[] = ['networkPolicy.dns.podSelector', 'networkPolicy.ingressController.podSelector'];

export const NETWORK_POLICY_DEFAULTS: NetworkPolicyConfig = {
  enabled: true,
  dns: { namespace: 'kube-system', podSelector: { 'k8s-app': 'kube-dns' }, port: 53 },
  // Any address, but only on the API server's ports and only for the pods that hold a token: 443 is the
  // `kubernetes` Service port, 6443 the port most control planes listen on behind it (policies see the
  // translated address on most network plugins).
  kubeApiServer: { cidrs: ['0.0.0.0/0'], ports: [443, 6443] },
  externalEgress: { cidrs: ['0.0.0.0/0'] },
  nodes: { cidrs: ['0.0.0.0/0'] },
  ingressController: { namespace: 'ingress-nginx', podSelector: {} },
};
