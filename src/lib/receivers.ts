/**
 * What the stack's components take in, by kind: each declares the receivers it serves
 * (`StackComponent.receivers`) and the kinds it sends to (`StackComponent.sends`), and a sender asks for a
 * kind, never for a component: an OTLP forwarder sends each signal to whichever store receives it (and an
 * application sends it every signal), a metrics-generator remote-writes to the metrics store, the alerts'
 * sender notifies whichever component receives alerts, a log agent pushes to whichever receives logs-push,
 * and a receiver that must be switched on asks, while it builds (not in `enabled`), whether anything sends to
 * it. The declarations read the endpoints they are given, so the Helm path passes the installation's.
 */
import type { StackConfig } from '../config/types';
import type { Endpoints } from '../components/registry';
import type { StackComponent } from '../components/component';
import type { Endpoint } from './endpoints';
import type { WiredEndpoint } from './wiring';
import { registeredComponents, registeredEndpoints } from './registered-components';

/**
 * What a sender is configured with, by kind: a base URL, `host:port` for OTLP/gRPC, and for alerts the base URL
 * of every replica (an alerts' sender notifies each; the replicas deduplicate notifications among themselves).
 * `otlp-grpc` and `otlp-http` take every signal, to forward each to the store that receives it.
 */
export interface ReceiverTargets {
  readonly 'metrics-remote-write': string;
  readonly 'metrics-otlp': string;
  readonly 'logs-otlp': string;
  readonly 'logs-push': string;
  readonly 'traces-otlp-grpc': string;
  readonly 'traces-otlp-http': string;
  readonly 'otlp-grpc': string;
  readonly 'otlp-http': string;
  readonly alerts: readonly string[];
}

export type ReceiverKind = keyof ReceiverTargets;

/** One receiver of a component; `T`: what a sender is configured with (`ReceiverTargets`). */
export interface Receiver<T = string> {
  /** Where senders connect: the destination of their wire. */
  readonly endpoint: Endpoint;
  /** What a sender is configured with on the wired endpoint (`ReceiverTargets`). */
  target(wired: WiredEndpoint): T;
  /** What the receiver is called in a sender's wire purpose, e.g. `OTLP/gRPC`. */
  readonly name: string;
  /** One line for the sender's config, on where the data goes and what the receiving component does with it. */
  readonly note: string;
  /** Headers every request carries (the tenant of a multi-tenant store). @default - none */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A component's part (`StackComponent.receivers`): the receivers it serves with this config, by kind. */
export type ComponentReceivers = (cfg: StackConfig, endpoints: Endpoints) => { readonly [K in ReceiverKind]?: Receiver<ReceiverTargets[K]> };

/** A component's part (`StackComponent.sends`): the kinds it sends to with this config, each one a receiver it wires to. */
export type ComponentSends = (cfg: StackConfig, endpoints: Endpoints) => readonly ReceiverKind[];

/**
 * The receiver of `kind` among the enabled components, or undefined when none serves it. Two serving one
 * kind is an internal error: a sender would not know where to go. Only components that declare receivers are
 * asked whether they are enabled, so the `enabled` of a component that declares none may ask this; a receiving
 * component's `enabled` must not (it would ask itself).
 */
export function stackReceiver<K extends ReceiverKind>(
  kind: K, cfg: StackConfig, endpoints: Endpoints, components: readonly StackComponent<string>[] = registeredComponents(),
): Receiver<ReceiverTargets[K]> | undefined {
  const found = components.filter((c) => c.receivers !== undefined && c.enabled(cfg)).flatMap((c) => {
    const r = c.receivers?.(cfg, endpoints)[kind];
    return r === undefined ? [] : [{ id: c.id, r }];
  });
  if (found.length > 1) throw new Error(`internal: components ${found.map((f) => f.id).join(' and ')} both receive ${kind}`);
  return found[0]?.r;
}

/**
 * Does an enabled component receive `kind` with this config? For a question asked without endpoints (a rule
 * that exists only while something receives alerts): whether a kind is received follows the config alone, so
 * the manifests' endpoints answer it for the Helm path too.
 */
export function stackReceives(kind: ReceiverKind, cfg: StackConfig, components: readonly StackComponent<string>[] = registeredComponents()): boolean {
  return stackReceiver(kind, cfg, registeredEndpoints(cfg), components) !== undefined;
}

/**
 * Does one of `components` send to `kind` with this config (a receiver off by default is switched on then)?
 * Senders' `sends` ask `stackReceiver` over the registry, and every sender is asked whether it is enabled,
 * so no `enabled` may ask this.
 */
export function stackSends(kind: ReceiverKind, cfg: StackConfig, endpoints: Endpoints, components: readonly StackComponent<string>[] = registeredComponents()): boolean {
  return components.some((c) => c.sends !== undefined && c.enabled(cfg) && c.sends(cfg, endpoints).includes(kind));
}
