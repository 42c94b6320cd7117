/**
 * Test support: a small NetworkPolicy evaluator following the Kubernetes semantics
 * (https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * - a pod is isolated for a direction when any policy of its namespace selects it with that policy type;
 *   a pod not isolated allows everything in that direction;
 * - an isolated pod allows a connection when any rule of any selecting policy matches (rules are ORed);
 * - a rule matches when one of its peers matches (no `from`/`to`: any peer) and one of its ports matches
 *   (no `ports`: any port);
 * - a peer with only `podSelector` means pods of the policy's namespace; with only `namespaceSelector`,
 *   every pod of the matching namespaces; with both, matching pods in matching namespaces; `ipBlock`
 *   matches addresses (pod IPs included, as Calico and Cilium do);
 * - a connection needs egress allowed at the source AND ingress allowed at the destination.
 */
import type { KubeObject } from './synth';

export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** IPv4 address, matched against ipBlock peers. */
  readonly ip: string;
}

/** A destination outside the cluster's pods (the API server, the internet). */
export interface External {
  readonly name: string;
  readonly ip: string;
}

export type Endpoint = Pod | External;

export interface Connection {
  readonly from: Pod;
  readonly to: Endpoint;
  readonly port: number;
  readonly protocol?: 'TCP' | 'UDP';
}

export interface Verdict {
  readonly allowed: boolean;
  readonly egress: boolean;
  readonly ingress: boolean;
}

const isPod = (e: Endpoint): e is Pod => 'namespace' in e;

export function matchesSelector(sel: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (sel === undefined) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: throw new Error(`unknown selector operator ${String((e as { operator: string }).operator)}`);
    }
  }
  return true;
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (prefix === 0) return true;
  const mask = (~0 << (32 - prefix)) >>> 0;
  return ((ipToInt(ip) & mask) >>> 0) === ((ipToInt(base) & mask) >>> 0);
}

/** Namespace labels as Kubernetes sets them (`kubernetes.io/metadata.name`), plus any given. */
function namespaceLabels(ns: string, extra: Readonly<Record<string, Record<string, string>>>): Record<string, string> {
  return { ...(extra[ns] ?? {}), 'kubernetes.io/metadata.name': ns };
}

type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: { cidr: string; except?: string[] } };
type PortRule = { port?: number | string; endPort?: number; protocol?: string };

export class PolicyEvaluator {
  private readonly policies: KubeObject[];

  constructor(objects: readonly KubeObject[], private readonly nsLabels: Readonly<Record<string, Record<string, string>>> = {}) {
    this.policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  }

  private selecting(pod: Pod, type: 'Ingress' | 'Egress'): KubeObject[] {
    return this.policies.filter((p) => {
      if (p.metadata.namespace !== pod.namespace) return false;
      // policyTypes defaults to Ingress, plus Egress when egress rules are present.
      const types: string[] = p.spec.policyTypes ?? ['Ingress', ...(p.spec.egress ? ['Egress'] : [])];
      return types.includes(type) && matchesSelector(p.spec.podSelector, pod.labels);
    });
  }

  private peerMatches(peer: Peer, policyNs: string, other: Endpoint): boolean {
    if (peer.ipBlock) {
      return inCidr(other.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((c) => inCidr(other.ip, c));
    }
    if (!isPod(other)) return false;
    const nsOk = peer.namespaceSelector === undefined
      ? other.namespace === policyNs
      : matchesSelector(peer.namespaceSelector, namespaceLabels(other.namespace, this.nsLabels));
    return nsOk && matchesSelector(peer.podSelector, other.labels);
  }

  private portMatches(ports: PortRule[] | undefined, port: number, protocol: string): boolean {
    if (ports === undefined || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'string') throw new Error(`named ports are not supported by this evaluator: ${p.port}`);
      return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
    });
  }

  private allowedBy(policies: KubeObject[], direction: 'ingress' | 'egress', other: Endpoint, port: number, protocol: string): boolean {
    if (policies.length === 0) return true;
    return policies.some((p) => ((p.spec[direction] ?? []) as Array<{ from?: Peer[]; to?: Peer[]; ports?: PortRule[] }>).some((rule) => {
      const peers = direction === 'ingress' ? rule.from : rule.to;
      const peerOk = peers === undefined || peers.length === 0 || peers.some((peer) => this.peerMatches(peer, p.metadata.namespace!, other));
      return peerOk && this.portMatches(rule.ports, port, protocol);
    }));
  }

  evaluate(c: Connection): Verdict {
    const protocol = c.protocol ?? 'TCP';
    const egress = this.allowedBy(this.selecting(c.from, 'Egress'), 'egress', c.to, c.port, protocol);
    const ingress = !isPod(c.to) || this.allowedBy(this.selecting(c.to, 'Ingress'), 'ingress', c.from, c.port, protocol);
    return { allowed: egress && ingress, egress, ingress };
  }

  allowed(c: Connection): boolean {
    return this.evaluate(c).allowed;
  }
}

let nextIp = 1;

/** A pod for evaluation, with a fresh address in 10.244.0.0/16. */
export function pod(name: string, namespace: string, labels: Record<string, string>): Pod {
  const n = nextIp++;
  return { name, namespace, labels, ip: `10.244.${Math.floor(n / 250)}.${(n % 250) + 1}` };
}
