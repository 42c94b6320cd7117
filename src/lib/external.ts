/**
 * External endpoints: every address outside the stack that a component reaches on its own (object storage,
 * remote-write targets, static scrape targets, Alertmanagers, an external metrics datasource, extra datasources), each
 * declared by its component (the descriptor's `externalEndpoints`) and gathered here. The NetworkPolicies
 * turn each into an egress rule for exactly the components that use it, and the verification suite's wiring
 * check accepts exactly these hosts as "outside the output on purpose".
 */
import type { StackConfig } from '../config/types';
import type { ObjectStorageSpec } from '../config/object-storage';
import type { ComponentName } from '../components/registry';
import { storeAddress } from './object-storage';
import { registeredComponents } from './registered-components';

export interface ExternalEndpoint {
  /** Stable id, e.g. `remote-write-mimir`. */
  readonly name: string;
  /** The component whose pods open the connection. */
  readonly from: ComponentName;
  /** Absent when only the port is known: the address is in a Secret the user creates (an alert receiver's webhook URL). */
  readonly host?: string;
  readonly port: number;
  readonly url?: string;
  readonly purpose: string;
  /** Set when the host is a Service of this cluster (`<service>.<namespace>.svc`), e.g. an in-cluster MinIO. */
  readonly inCluster?: { readonly service: string; readonly namespace: string };
}

const IN_CLUSTER_HOST = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/;

/** Host and port of an http(s) URL (path ignored); undefined when it is not one. */
export function urlHostPort(url: string): { host: string; port: number } | undefined {
  const m = /^(https?):\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:[/?#]|$)/.exec(url);
  if (!m) return undefined;
  return { host: m[2].toLowerCase(), port: m[3] !== undefined ? Number(m[3]) : m[1] === 'https' ? 443 : 80 };
}

/** The endpoint at `url` (none when it is not an http(s) URL), with the Service it names when it is in the cluster. */
export function externalEndpoint(name: string, from: ComponentName, url: string, purpose: string, hp = urlHostPort(url)): ExternalEndpoint[] {
  if (hp === undefined) return [];
  const m = IN_CLUSTER_HOST.exec(hp.host);
  return [{ name, from, host: hp.host, port: hp.port, url, purpose, ...(m ? { inCluster: { service: m[1], namespace: m[2] } } : {}) }];
}

/** The object store a component keeps its data in, when it is one (not the filesystem). */
export function objectStoreEndpoint(name: string, from: ComponentName, spec: ObjectStorageSpec, purpose: string): ExternalEndpoint[] {
  const a = storeAddress(spec);
  return a ? externalEndpoint(name, from, a.url, purpose) : [];
}

/** Every external endpoint the config makes the stack reach: the enabled components', in registry order. */
export function externalEndpoints(cfg: StackConfig): ExternalEndpoint[] {
  return registeredComponents().filter((c) => c.enabled(cfg)).flatMap((c) => c.externalEndpoints?.(cfg) ?? []);
}
