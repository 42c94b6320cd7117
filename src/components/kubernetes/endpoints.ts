/** The endpoints of the cluster parts the stack scrapes: each node's kubelet, the API server and CoreDNS. */
import type { StackConfig } from '../../config/types';
import { type BuiltEndpoints, type Endpoint, type EndpointBuilders, buildEndpointTable } from '../../lib/endpoints';

export const KUBERNETES_NAMES = ['kubelet', 'kube-apiserver', 'coredns'] as const;
export type KubernetesName = (typeof KUBERNETES_NAMES)[number];

/** Name of the `kubernetes` Service every cluster has in `default`, in front of the API server. */
export const KUBERNETES_SERVICE = { name: 'kubernetes', namespace: 'default', port: 443, portName: 'https' } as const;

/** Each node's kubelet (HTTPS); there is no Service: the nodes are found through the API. */
function kubeletEndpoints(cfg: StackConfig): { readonly https: Endpoint } {
  return {
    https: {
      component: 'kubelet', portName: 'https-metrics', port: cfg.kubernetes.kubelet.port, protocol: 'http',
      // No Service and no namespace: one listener per node address.
      service: '', namespace: '', host: '', address: '', url: '',
      peer: { kind: 'nodes', ownPods: false },
    },
  };
}

/** The API server behind the `kubernetes` Service of `default` (each of its endpoints is scraped). */
function apiServerEndpoints(): { readonly https: Endpoint } {
  const api = KUBERNETES_SERVICE;
  const host = `${api.name}.${api.namespace}.svc`;
  return {
    https: {
      component: 'kube-apiserver', portName: api.portName, port: api.port, protocol: 'http',
      service: api.name, namespace: api.namespace, host, address: `${host}:${api.port}`, url: `https://${host}:${api.port}`,
      peer: { kind: 'api-server' },
    },
  };
}

/** CoreDNS's metrics port on the pods `networkPolicy.dns` names (the cluster DNS Service does not always expose it). */
function corednsEndpoints(cfg: StackConfig): { readonly metrics: Endpoint } {
  const dns = cfg.networkPolicy.dns;
  return {
    metrics: {
      component: 'coredns', portName: 'metrics', port: cfg.kubernetes.coredns.port, protocol: 'http',
      // Pods, not a Service: scraped one by one through pod discovery.
      service: '', namespace: dns.namespace, host: '', address: '', url: '',
      peer: { kind: 'cluster-pods', podSelector: { ...dns.podSelector } },
    },
  };
}

export const KUBERNETES_ENDPOINTS = { kubelet: kubeletEndpoints, apiServer: apiServerEndpoints, coredns: corednsEndpoints } as const satisfies EndpointBuilders;

/** The kubelet, API server and CoreDNS endpoints, by the keys of `KUBERNETES_ENDPOINTS`. */
export type KubernetesEndpoints = BuiltEndpoints<typeof KUBERNETES_ENDPOINTS>;

export function kubernetesEndpoints(cfg: StackConfig): KubernetesEndpoints {
  return buildEndpointTable(KUBERNETES_ENDPOINTS, cfg);
}
