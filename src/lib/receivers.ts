/**
 * What the stack's stores take in, by kind: each store declares the receivers it serves
 * (`StackComponent.receivers`), and a sender asks for a kind, never for a store: an OTLP forwarder sends
 * each signal to whichever store receives it, a metrics-generator remote-writes to the metrics store. The
 * declarations read the endpoints they are given, so the Helm path passes the installation's.
 */
import type { StackConfig } from '../config/types';
import type { Endpoints } from '../components/registry';
import type { StackComponent } from '../components/component';
import type { Endpoint } from './endpoints';
import type { WiredEndpoint } from './wiring';
import { registeredComponents } from './registered-components';

export type ReceiverKind = 'metrics-remote-write' | 'metrics-otlp' | 'logs-otlp' | 'traces-otlp-grpc' | 'traces-otlp-http'
  | 'logs-push';

/** One receiver of a store. */
export interface Receiver {
  /** Where senders connect: the destination of their wire. */
  readonly endpoint: Endpoint;
  /** What a sender is configured with on the wired endpoint: a base URL, or `host:port` for gRPC. */
  target(wired: WiredEndpoint): string;
  /** What the receiver is called in a sender's wire purpose, e.g. `OTLP/gRPC`. */
  readonly name: string;
  /** One line for the sender's config, on where the data goes and what the store does with it. */
  readonly note: string;
  /** Headers every request carries (the tenant of a multi-tenant store). @default - none */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A component's part (`StackComponent.receivers`): the receivers it serves with this config, by kind. */
export type ComponentReceivers = (cfg: StackConfig, endpoints: Endpoints) => Partial<Record<ReceiverKind, Receiver>>;

/**
 * The receiver of `kind` among the enabled components, or undefined when none serves it. Two serving one
 * kind is an internal error: a sender would not know where to go.
 */
export function stackReceiver(kind: ReceiverKind, cfg: StackConfig, endpoints: Endpoints, components: readonly StackComponent<string>[] = registeredComponents()): Receiver | undefined {
  const found = components.filter((c) => c.enabled(cfg)).flatMap((c) => {
    const r = c.receivers?.(cfg, endpoints)[kind];
    return r === undefined ? [] : [{ id: c.id, r }];
  });
  if (found.length > 1) throw new Error(`internal: components ${found.map((f) => f.id).join(' and ')} both receive ${kind}`);
  return found[0]?.r;
}
