/**
 * The stack's Grafana datasources as the components contribute them (`StackComponent.datasources`): each
 * store gives its own datasource, Grafana collects those of the enabled components and renders them on
 * both paths. A link from one datasource to another names a ROLE, never the other store's uid: it is
 * resolved to the uid of the datasource with that role in the collected set, and left out when no enabled
 * component serves the role (no exemplar links without a traces datasource, ...).
 */
import type { StackConfig } from '../config/types';
import type { Endpoint } from './endpoints';
import type { Endpoints } from '../components/registry';
import type { WireKind } from './wiring';
import { registeredComponents } from './registered-components';
import type { StackComponent } from '../components/component';

/**
 * What a datasource is to the others, in the provisioning file's order: `rules` is where Grafana reads the
 * stack's rules' state when the metrics datasource holds none (a long-term store), `alerts` where the stack's alerts are routed and silenced.
 */
export const DATASOURCE_ROLES = ['metrics', 'logs', 'traces', 'rules', 'alerts'] as const;
export type DatasourceRole = (typeof DATASOURCE_ROLES)[number];

/** A datasource's fixed identity: dashboards and correlations point at the uid before Grafana starts. */
export interface DatasourceIdentity {
  readonly role: DatasourceRole;
  readonly uid: string;
  /** The name Grafana lists it by. */
  readonly name: string;
  /** The plugin id. */
  readonly type: string;
}

/** The uid of the datasource serving a role in this environment, or undefined when none does. */
export type UidOfRole = (role: DatasourceRole) => string | undefined;

/** One datasource a component contributes, before its links are resolved. */
export interface DatasourceContribution extends DatasourceIdentity {
  /** A wired endpoint's URL (`DatasourceContext.connect`), or an external endpoint's (`src/lib/external.ts`). */
  readonly url: string;
  /** @default false */
  readonly isDefault?: boolean;
  /** Grafana's `jsonData`; the links to other datasources are `uidOf(role)`, left out when it is undefined. */
  jsonData(uidOf: UidOfRole): Readonly<Record<string, unknown>>;
  /** @default - none */
  readonly secureJsonData?: Readonly<Record<string, string>>;
}

/** A contribution with its links resolved against the environment's set. */
export interface ResolvedDatasource extends Omit<DatasourceContribution, 'jsonData'> {
  readonly jsonData: Readonly<Record<string, unknown>>;
}

/** A component's part (`StackComponent.datasources`). */
export interface ComponentDatasources {
  /** Every datasource it may provision, enabled or not: the stack's uids and names, reserved against the user's. */
  readonly identities: readonly DatasourceIdentity[];
  /** The datasources it provisions in this environment, each one of `identities`. */
  contribute(ctx: DatasourceContext): readonly DatasourceContribution[];
}

/** What a component's `datasources.contribute` is given. */
export interface DatasourceContext {
  readonly cfg: StackConfig;
  /** The endpoints of the path being rendered (the manifests', or the Helm installation's). */
  readonly endpoints: Endpoints;
  /**
   * Grafana's connection to `to`, the endpoint the datasource's URL comes from: on the manifests a wire from
   * Grafana (`BuildContext.wire`), on the Helm path the installation's endpoint.
   */
  connect(to: Endpoint, kind: Extract<WireKind, 'query' | 'http'>, purpose: string): Endpoint;
}

/** Every datasource identity of the registry's components, enabled or not. */
export function stackDatasourceIdentities(components: readonly StackComponent<string>[] = registeredComponents()): DatasourceIdentity[] {
  return components.flatMap((c) => c.datasources?.identities ?? []);
}

/**
 * Every datasource the enabled components contribute, in role order, with each link resolved by role.
 * Internal errors: a role served twice (links would be ambiguous), a contribution that is not one of its
 * component's declared identities (the user's datasources would not be kept from its uid and name).
 */
export function stackDatasources(ctx: DatasourceContext, components: readonly StackComponent<string>[] = registeredComponents()): ResolvedDatasource[] {
  const contributions = components.filter((c) => c.enabled(ctx.cfg)).flatMap((c) => (c.datasources?.contribute(ctx) ?? []).map((d) => {
    const declared = c.datasources!.identities.some((i) => i.uid === d.uid && i.name === d.name && i.role === d.role && i.type === d.type);
    if (!declared) throw new Error(`internal: component ${c.id} contributes datasource ${d.uid}, which is not one of its declared identities`);
    return d;
  }));
  const byRole = new Map<DatasourceRole, DatasourceContribution>();
  for (const c of contributions) {
    const other = byRole.get(c.role);
    if (other !== undefined) throw new Error(`internal: datasources ${other.uid} and ${c.uid} both serve the ${c.role} role`);
    byRole.set(c.role, c);
  }
  const uidOf: UidOfRole = (role) => byRole.get(role)?.uid;
  return DATASOURCE_ROLES.flatMap((role) => {
    const c = byRole.get(role);
    return c === undefined ? [] : [{ ...c, jsonData: c.jsonData(uidOf) }];
  });
}

/**
 * Placeholders Grafana substitutes in correlation queries; `$__tags` expands to the mapped span tags
 * as label matchers (`service="checkout"`). Written here with a single `$`: the provisioning file doubles
 * every `$`, because Grafana expands `$VAR` from its environment while loading it.
 */
export const QUERY_PLACEHOLDERS = { tags: '$__tags', valueRaw: '${__value.raw}' } as const;

/**
 * Custom HTTP headers of a datasource (e.g. a multi-tenant store's tenant header, decided by its component) in
 * Grafana's numbered form. Header values are not secrets here; Grafana only accepts them in `secureJsonData`.
 */
export function datasourceHeaders(headers: Readonly<Record<string, string>>): { jsonData: Record<string, string>; secureJsonData?: Record<string, string> } {
  const names = Object.keys(headers).sort();
  if (names.length === 0) return { jsonData: {} };
  return {
    jsonData: Object.fromEntries(names.map((n, i) => [`httpHeaderName${i + 1}`, n])),
    secureJsonData: Object.fromEntries(names.map((n, i) => [`httpHeaderValue${i + 1}`, headers[n]])),
  };
}

/** The `jsonData` keys that hold another datasource's uid (at any depth). */
const LINK_KEYS: readonly string[] = ['datasourceUid', 'alertmanagerUid'];

/** Every datasource uid the links in `jsonData` point at, in document order (for consistency checks). */
export function linkedDatasourceUids(jsonData: unknown): string[] {
  if (Array.isArray(jsonData)) return jsonData.flatMap(linkedDatasourceUids);
  if (jsonData === null || typeof jsonData !== 'object') return [];
  return Object.entries(jsonData).flatMap(([k, v]) => (LINK_KEYS.includes(k) && typeof v === 'string' ? [v] : linkedDatasourceUids(v)));
}
