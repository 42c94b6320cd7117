/**
 * Grafana's datasource provisioning file (`provisioning/datasources/*.yaml`, apiVersion 1) as typed data:
 * the datasources the enabled components contribute (`src/lib/datasources.ts`, each store's
 * `datasource.ts`), links resolved by role, then the user's (`grafana.extraDatasources`). Pure: the
 * collected datasources in, object out; the manifests and the Helm values generator share it.
 */
import type { ExtraDatasourceInput } from './extra-datasources';
import type { ResolvedDatasource } from '../../lib/datasources';

/** One of the stack's datasources as provisioned. */
export interface Datasource {
  name: string;
  type: string;
  uid: string;
  access: 'proxy';
  orgId: number;
  url: string;
  /** Basic auth with `basicAuthUser` and `secureJsonData.basicAuthPassword`. */
  basicAuth?: boolean;
  basicAuthUser?: string;
  isDefault: boolean;
  editable: boolean;
  jsonData: Readonly<Record<string, unknown>>;
  secureJsonData?: Record<string, string>;
}

export interface DatasourcesFile {
  apiVersion: 1;
  /** Removes provisioned datasources that left the file (a component disabled later). */
  prune: boolean;
  datasources: Datasource[];
}

/** A datasource the user adds (`grafana.extraDatasources`): any plugin type, Grafana's provisioning keys. */
export interface UserDatasource {
  name: string;
  type: string;
  uid: string;
  access: 'proxy';
  orgId: number;
  url?: string;
  user?: string;
  basicAuth?: boolean;
  basicAuthUser?: string;
  isDefault: false;
  editable: false;
  jsonData?: Readonly<Record<string, unknown>>;
  /** `${VAR}` references only (`envReference`). */
  secureJsonData?: Record<string, string>;
}

/** The provisioning file as written: the stack's datasources, then the user's. */
export interface ProvisioningFile extends Omit<DatasourcesFile, 'datasources'> {
  datasources: Array<Datasource | UserDatasource>;
}

/** Where a datasource's credentials come from: environment variables of the Grafana container. */
export type DatasourceAuthEnv =
  | { readonly basicAuth: { readonly user: string; readonly passwordEnv: string } }
  | { readonly bearerTokenEnv: string };

export interface DatasourcesInput {
  /** The enabled components' datasources, links resolved (`stackDatasources`). */
  readonly datasources: readonly ResolvedDatasource[];
  /**
   * Credentials of the long-term store serving the metrics role, as the names of environment variables
   * Grafana holds them in (filled from the user's Secret); the file references them, never the values. @default - none
   */
  readonly metricsAuth?: DatasourceAuthEnv;
  /** The user's datasources (`grafana.extraDatasources`), after the stack's. @default - none */
  readonly extra?: readonly ExtraDatasourceInput[];
}

/** The stack's datasources in Grafana's provisioning keys. */
export function renderDatasources(datasources: readonly ResolvedDatasource[]): DatasourcesFile {
  return {
    apiVersion: 1,
    prune: true,
    datasources: datasources.map((d) => ({
      name: d.name,
      type: d.type,
      uid: d.uid,
      access: 'proxy',
      orgId: 1,
      url: d.url,
      isDefault: d.isDefault ?? false,
      editable: false,
      jsonData: d.jsonData,
      ...(d.secureJsonData ? { secureJsonData: { ...d.secureJsonData } } : {}),
    })),
  };
}

/**
 * The provisioning file as written: every `$` of the rendered data doubled (`escapeEnvExpansion`), then the
 * credential references added, the only `${VAR}` Grafana expands. A basic-auth password becomes
 * `secureJsonData.basicAuthPassword`; a bearer token one more custom header, `Authorization: Bearer ...`.
 */
export function datasourcesProvisioning(input: DatasourcesInput): ProvisioningFile {
  const file = escapeEnvExpansion(renderDatasources(input.datasources));
  const auth = input.metricsAuth;
  const extra = (input.extra ?? []).map(userDatasource);
  if (auth === undefined) return extra.length > 0 ? { ...file, datasources: [...file.datasources, ...extra] } : file;
  return {
    ...file,
    datasources: [...file.datasources.map((ds, i) => {
      // The store's credentials go to the metrics datasource only (not the rules role's).
      if (input.datasources[i].role !== 'metrics') return ds;
      if ('basicAuth' in auth) {
        return {
          ...ds,
          basicAuth: true,
          basicAuthUser: escapeEnvExpansion(auth.basicAuth.user),
          secureJsonData: { ...ds.secureJsonData, basicAuthPassword: envReference(auth.basicAuth.passwordEnv) },
        };
      }
      const n = Object.keys(ds.jsonData).filter((k) => /^httpHeaderName\d+$/.test(k)).length + 1;
      return {
        ...ds,
        jsonData: { ...ds.jsonData, [`httpHeaderName${n}`]: 'Authorization' },
        secureJsonData: { ...ds.secureJsonData, [`httpHeaderValue${n}`]: `Bearer ${envReference(auth.bearerTokenEnv)}` },
      };
    }), ...extra],
  };
}

/** One of the user's datasources as provisioned: `$` doubled in what they wrote, secrets as `${VAR}` references. */
function userDatasource({ spec, secureEnv }: ExtraDatasourceInput): UserDatasource {
  const secure = Object.keys(secureEnv).sort();
  return {
    ...escapeEnvExpansion({
      name: spec.name,
      type: spec.type,
      uid: spec.uid,
      access: 'proxy' as const,
      orgId: 1,
      ...(spec.url !== undefined ? { url: spec.url } : {}),
      ...(spec.user !== undefined ? { user: spec.user } : {}),
      ...(spec.basicAuth !== undefined ? { basicAuth: true, basicAuthUser: spec.basicAuth.username } : {}),
      isDefault: false as const,
      editable: false as const,
      ...(spec.jsonData !== undefined ? { jsonData: JSON.parse(JSON.stringify(spec.jsonData)) as Record<string, unknown> } : {}),
    }),
    ...(secure.length > 0 ? { secureJsonData: Object.fromEntries(secure.map((k) => [k, envReference(secureEnv[k])])) } : {}),
  };
}

/** A reference Grafana's provisioning expands from its environment. */
export function envReference(name: string): string {
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`internal: ${name} is not an environment variable name`);
  return `\${${name}}`;
}

/** Deeply doubles every `$` in string values: Grafana expands `$VAR`/`${VAR}` from the environment in provisioning files. */
export function escapeEnvExpansion<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\$/g, '$$$$') as T;
  if (Array.isArray(value)) return value.map((v) => escapeEnvExpansion(v)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeEnvExpansion(v)])) as T;
  }
  return value;
}

