/**
 * NetworkPolicies: default-deny ingress and egress in both of the stack's namespaces, then one allow rule
 * per recorded wire. The wires are the connections the configs were built with (the same endpoints give
 * the URLs), so a port changed in the config, or a component added with its wires, moves the policies too.
 *
 * What each generated policy means:
 * - `default-deny` (per namespace): every pod selected, no rule: nothing in or out unless allowed below.
 * - `allow-dns` (per namespace): every pod may ask the cluster DNS (UDP and TCP, as large answers fall back
 *   to TCP).
 * - `<component>-ingress`: the wired sources may reach the component's pods on exactly the wired ports.
 * - `<component>-egress`: the component may reach the pods it is wired to on exactly those ports.
 * - `<workload>-kube-api`: pods that mount a ServiceAccount token may reach the API server.
 * - wires to what is not a stack pod (the endpoint's `peer`, src/lib/endpoints.ts): the kubelet and
 *   host-network pods listen on node addresses, which only an ipBlock can name
 *   (`networkPolicy.nodes.cidrs`); CoreDNS is named by its namespace and labels (`networkPolicy.dns`); the
 *   API server by `networkPolicy.kubeApiServer`. They get an egress rule at the source only: the cluster's own
 *   components are not the stack's to isolate (the stack's own host-network pods, `peer.ownPods`, keep
 *   their ingress policy, for plugins that apply policies to host-network pods).
 * - external endpoints (object storage, remote write, an external metrics store; `src/lib/external.ts`):
 *   an egress rule in the component's `<component>-egress` policy on exactly the endpoint's port, to
 *   `networkPolicy.externalEgress.cidrs` (a host name cannot be a policy peer, and cloud stores resolve to
 *   changing addresses), or to the Service's namespace when the endpoint is inside the cluster.
 *
 * A connection needs both ends to allow it: egress at the source, ingress at the destination.
 *
 * Limits worth knowing (they are Kubernetes', not ours):
 * - kubelet probes come from the node, which every common network plugin always allows.
 * - Pods with `hostNetwork: true` are outside NetworkPolicy on most plugins (their traffic is node traffic).
 * - Egress to node addresses needs a plugin that matches ipBlock peers against node IPs (Calico does; Cilium
 *   only with `policy-cidr-match-mode: nodes`, otherwise it treats nodes as the `host`/`remote-node`
 *   entities and the rule matches nothing).
 * - CoreDNS's namespace has policies of its own, if any: where `kube-system` is default-deny, admit
 *   the scraper on the metrics port there too.
 * - Other namespaces have their own policies: the scraper's egress to annotated pods and the applications'
 *   egress to the stack's receivers must also be allowed there if those namespaces are default-deny too.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { NetworkPolicyConfig } from '../../config/types';
import type { Endpoint, EndpointPeer } from '../../lib/endpoints';
import type { ComponentName, Endpoints } from '../registry';
import type { NetworkPolicyNeeds } from '../component';
import type { ExternalEndpoint } from '../../lib/external';
import type { Labeler } from '../../lib/labels';
import { compareStrings } from '../../lib/order';
import { isOutsideSource, type Wire, type WireSource } from '../../lib/wiring';

/** The label Kubernetes (1.21+) sets on every namespace to its own name; selectors use it to name a namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** A workload whose pods call the Kubernetes API (they mount a ServiceAccount token). */
export interface ApiClient {
  /** Workload name, used in the policy name. */
  readonly name: string;
  readonly namespace: string;
  /** The workload's pod selector. */
  readonly podSelector: Readonly<Record<string, string>>;
}

export interface NetworkPolicyInput {
  readonly wires: readonly Wire[];
  readonly endpoints: Endpoints;
  readonly namespace: string;
  readonly agentNamespace: string;
  readonly labeler: Labeler;
  readonly config: NetworkPolicyConfig;
  /** Endpoints outside the stack each component reaches (see `externalEndpoints`). @default - none */
  readonly external?: readonly ExternalEndpoint[];
  /** Workloads that need the API server (see `apiClientsOf`). */
  readonly apiClients: readonly ApiClient[];
  /** The components that scrape annotated pods in every namespace (`NetworkPolicyNeeds`): egress to every pod on every port. @default - none */
  readonly annotatedPodScrapers?: NetworkPolicyNeeds['annotatedPodScrapers'];
  /** Egress rules components need beyond their wires, added to their `<component>-egress` policy. @default - none */
  readonly extraEgress?: NetworkPolicyNeeds['extraEgress'];
  /**
   * The pod labels that select a component's pods. @default - `labeler.selector` (the manifests' pods);
   * the Helm path passes the charts' pod labels.
   */
  readonly podSelector?: (component: ComponentName) => Record<string, string>;
  /**
   * Namespaces of wire sources that expose no endpoint of their own (pure clients); every other
   * component's namespace comes from the endpoint registry. @default - none
   */
  readonly clientNamespaces?: NetworkPolicyNeeds['clientNamespaces'];
}

/** Every component's namespace, from the endpoint registry (a component's endpoints share one namespace). */
export function componentNamespaces(endpoints: Endpoints): Map<ComponentName, string> {
  const out = new Map<ComponentName, string>();
  const visit = (v: unknown): void => {
    if (v === undefined || v === null || typeof v !== 'object') return;
    const ep = v as Partial<Endpoint>;
    if (typeof ep.component === 'string' && typeof ep.namespace === 'string') out.set(ep.component, ep.namespace);
    else for (const child of Object.values(v)) visit(child);
  };
  visit(endpoints);
  return out;
}

function namespaceSelector(name: string): k8s.LabelSelector {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: name } };
}

function tcpPorts(ports: Iterable<number>): k8s.NetworkPolicyPort[] {
  return [...new Set(ports)].sort((a, b) => a - b).map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) }));
}

/** The ports of some wires: TCP, then UDP for the endpoints that also carry UDP (`Endpoint.udp`: gossip between replicas). */
function wirePorts(ws: readonly Wire[]): k8s.NetworkPolicyPort[] {
  const udp = [...new Set(ws.filter((w) => w.to.udp).map((w) => w.to.port))].sort((a, b) => a - b);
  return [...tcpPorts(ws.map((w) => w.to.port)), ...udp.map((p) => ({ protocol: 'UDP', port: k8s.IntOrString.fromNumber(p) }))];
}

/** Groups values by key, keys sorted, so the output does not depend on the order wires were recorded in. */
function groupBy<T, K extends string>(items: readonly T[], key: (t: T) => K): Array<[K, T[]]> {
  const m = new Map<K, T[]>();
  for (const i of items) {
    const k = key(i);
    m.set(k, [...(m.get(k) ?? []), i]);
  }
  return [...m.entries()].sort(([a], [b]) => compareStrings(a, b));
}

/** Whether the stack writes the endpoint's ingress policy: its own pods, host-network ones included. */
export function ownsIngress(peer: EndpointPeer | undefined): boolean {
  return peer === undefined || peer.kind === 'stack-pods' || (peer.kind === 'nodes' && peer.ownPods);
}

/** Every NetworkPolicy of the stack, as object props (pure: the Helm values generator can reuse it). */
export function networkPolicies(input: NetworkPolicyInput): k8s.KubeNetworkPolicyProps[] {
  const { wires, labeler, config } = input;
  const selectorOf = input.podSelector ?? ((c: ComponentName) => labeler.selector(c));
  const labels = { ...labeler.stackLabels(), 'app.kubernetes.io/component': 'network-policy' };
  const nsOf = componentNamespaces(input.endpoints);
  for (const [c, ns] of Object.entries(input.clientNamespaces ?? {})) if (ns !== undefined) nsOf.set(c as ComponentName, ns);
  const stackNamespaces = [input.namespace, input.agentNamespace];
  const metadata = (name: string, namespace: string): k8s.ObjectMeta => ({ name, namespace, labels });
  const sourceNamespace = (c: ComponentName): string => {
    const ns = nsOf.get(c);
    if (ns === undefined) throw new Error(`network policies: component "${c}" has no endpoint, so its namespace is unknown`);
    return ns;
  };
  const peerOf = (from: WireSource): k8s.NetworkPolicyPeer => {
    if (from === 'cluster-workloads') {
      // The applications of the cluster: any pod outside the stack's namespaces. Stack pods only ever get
      // what their own wires give them (a store must not reach a trace receiver just because applications may).
      return { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: [...stackNamespaces].sort() }] } };
    }
    if (from === 'ingress-controller') {
      const ic = config.ingressController;
      return { namespaceSelector: namespaceSelector(ic.namespace), podSelector: { matchLabels: { ...ic.podSelector } } };
    }
    return { namespaceSelector: namespaceSelector(sourceNamespace(from)), podSelector: { matchLabels: selectorOf(from) } };
  };
  // Ingress rules by source name, except the ingress controller's, which comes last: it used to be added
  // after the wired sources, and keeping its place keeps existing policies unchanged on re-apply.
  const ruleOrder = (a: WireSource, b: WireSource): number =>
    Number(a === 'ingress-controller') - Number(b === 'ingress-controller') || compareStrings(a, b);

  const out: k8s.KubeNetworkPolicyProps[] = [];

  for (const ns of stackNamespaces) {
    out.push({ metadata: metadata('default-deny', ns), spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
    out.push({
      metadata: metadata('allow-dns', ns),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{ namespaceSelector: namespaceSelector(config.dns.namespace), podSelector: { matchLabels: { ...config.dns.podSelector } } }],
          ports: [
            { protocol: 'UDP', port: k8s.IntOrString.fromNumber(config.dns.port) },
            { protocol: 'TCP', port: k8s.IntOrString.fromNumber(config.dns.port) },
          ],
        }],
      },
    });
  }

  // Ingress, per destination component: one rule per source with the ports it is wired to. Only the
  // stack's own pods get one (see `ownsIngress`).
  for (const [dst, dstWires] of groupBy(wires.filter((w) => ownsIngress(w.to.peer)), (w) => w.to.component)) {
    const rules: k8s.NetworkPolicyIngressRule[] = groupBy(dstWires, (w) => w.from)
      .sort(([a], [b]) => ruleOrder(a, b))
      .map(([from, ws]) => ({ from: [peerOf(from)], ports: wirePorts(ws) }));
    out.push({
      metadata: metadata(`${dst}-ingress`, dstWires[0].to.namespace),
      spec: { podSelector: { matchLabels: selectorOf(dst) }, policyTypes: ['Ingress'], ingress: rules },
    });
  }

  // Egress, per source component: one rule per destination component with its wired ports.
  const external = input.external ?? [];
  const stackWires = wires.filter((w) => !isOutsideSource(w.from));
  const extraEgress = (input.extraEgress ?? []).filter((e) => e.rules.length > 0);
  const sources = [...new Set([...stackWires.map((w) => w.from as ComponentName), ...external.map((e) => e.from), ...extraEgress.map((e) => e.from)])].sort();
  for (const src of sources) {
    const ws = stackWires.filter((w) => w.from === src);
    const rules: k8s.NetworkPolicyEgressRule[] = groupBy(ws, (w) => w.to.component).map(([dst, dws]) => {
      const peer = dws[0].to.peer ?? { kind: 'stack-pods' };
      const ports = wirePorts(dws);
      switch (peer.kind) {
        case 'nodes': return { to: config.nodes.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports };
        case 'cluster-pods': return { to: [{ namespaceSelector: namespaceSelector(dws[0].to.namespace), podSelector: { matchLabels: { ...peer.podSelector } } }], ports };
        // The API server's Service port is translated to its own port before policies see it.
        case 'api-server': return { to: config.kubeApiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcpPorts(config.kubeApiServer.ports) };
        default: return { to: [{ namespaceSelector: namespaceSelector(dws[0].to.namespace), podSelector: { matchLabels: selectorOf(dst) } }], ports };
      }
    });
    // External endpoints: in-cluster ones by namespace, the others by the configured CIDRs, one rule per
    // peer with every port this component uses there.
    const ext = external.filter((e) => e.from === src);
    for (const [ns, es] of groupBy(ext.filter((e) => e.inCluster !== undefined), (e) => e.inCluster!.namespace)) {
      rules.push({ to: [{ namespaceSelector: namespaceSelector(ns) }], ports: tcpPorts(es.map((e) => e.port)) });
    }
    const outside = ext.filter((e) => e.inCluster === undefined);
    if (outside.length > 0) {
      rules.push({ to: config.externalEgress.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcpPorts(outside.map((e) => e.port)) });
    }
    if (input.annotatedPodScrapers?.includes(src) === true) {
      // Any pod in any namespace, any port: see `NetworkPolicyNeeds.annotatedPodScrapers`.
      rules.push({ to: [{ namespaceSelector: {}, podSelector: {} }] });
    }
    for (const e of extraEgress.filter((x) => x.from === src)) rules.push(...e.rules);
    out.push({
      metadata: metadata(`${src}-egress`, sourceNamespace(src)),
      spec: { podSelector: { matchLabels: selectorOf(src) }, policyTypes: ['Egress'], egress: rules },
    });
  }

  // The API server is not a pod, so it can only be named by address (see NetworkPolicyConfig.kubeApiServer).
  for (const client of [...input.apiClients].sort((a, b) => compareStrings(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))) {
    out.push({
      metadata: metadata(`${client.name}-kube-api`, client.namespace),
      spec: {
        podSelector: { matchLabels: { ...client.podSelector } },
        policyTypes: ['Egress'],
        egress: [{
          to: config.kubeApiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: tcpPorts(config.kubeApiServer.ports),
        }],
      },
    });
  }
  return out;
}

interface WorkloadJson {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: { selector?: { matchLabels?: Record<string, string> }; template?: { spec?: { automountServiceAccountToken?: boolean } } };
}

/**
 * Workloads whose pods mount a ServiceAccount token, i.e. call the Kubernetes API. Every obs-stack pod
 * that does not sets `automountServiceAccountToken: false`, so this reads the need from the objects
 * themselves and a component gains API egress by mounting its token, nothing else.
 */
export function apiClientsOf(objects: readonly unknown[]): ApiClient[] {
  return (objects as WorkloadJson[])
    .filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind))
    .filter((o) => o.spec?.template?.spec?.automountServiceAccountToken !== false)
    .map((o) => ({ name: o.metadata.name, namespace: o.metadata.namespace ?? 'default', podSelector: o.spec?.selector?.matchLabels ?? {} }));
}

export class NetworkPolicies extends Chart {
  constructor(scope: Construct, id: string, input: NetworkPolicyInput) {
    super(scope, id, { disableResourceNameHashes: true });
    for (const props of networkPolicies(input)) {
      new k8s.KubeNetworkPolicy(this, `${props.metadata!.namespace}-${props.metadata!.name}`, props);
    }
  }
}
