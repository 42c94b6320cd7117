/**
 * The wires of the stack: who talks to whom, on which endpoint, for what. A component gets another's
 * address only as a `WiredEndpoint`, which only `WireLog.connect` makes: recording the connection is the
 * one way to obtain it. NetworkPolicies, the wiring diagram and the wiring tests read the recorded list.
 */
import type { ComponentName } from '../components/registry';
import type { Endpoint } from './endpoints';

export type WireKind = 'scrape' | 'push' | 'query' | 'remote-write' | 'otlp' | 'http' | 'grpc' | 'gossip' | 'kafka';

/**
 * Who starts a connection: a component of the stack, or a client outside it - any workload in the cluster
 * (`cluster-workloads`), or the cluster's ingress controller serving an Ingress of the stack
 * (`ingress-controller`, where `networkPolicy.ingressController` says it runs).
 */
export type WireSource = ComponentName | OutsideSource;

/** Wire sources the stack does not deploy: they get ingress rules at their destination, never policies of their own. */
export const OUTSIDE_SOURCES = ['cluster-workloads', 'ingress-controller'] as const;
export type OutsideSource = typeof OUTSIDE_SOURCES[number];

export function isOutsideSource(s: WireSource): s is OutsideSource {
  return (OUTSIDE_SOURCES as readonly string[]).includes(s);
}

declare const wired: unique symbol;

/** An endpoint some component was wired to. Only `WireLog.connect` produces one. */
export type WiredEndpoint = Endpoint & { readonly [wired]: true };

export interface Wire {
  readonly from: WireSource;
  readonly to: Endpoint;
  readonly kind: WireKind;
  /** One line for humans, e.g. "scrapes metrics". */
  readonly purpose: string;
}

export class WireLog {
  private readonly list: Wire[] = [];

  /** Records a connection and returns the endpoint as wired, so the address is used where it is wired. */
  connect(from: WireSource, to: Endpoint, kind: WireKind, purpose: string): WiredEndpoint {
    this.list.push({ from, to, kind, purpose });
    return to as WiredEndpoint;
  }

  get wires(): readonly Wire[] {
    return this.list;
  }
}
