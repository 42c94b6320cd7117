/**
 * `grafana.extraDatasources`: datasources the user adds next to the stack's own,
 * with Grafana's provisioning keys (`name`, `type`, `uid`, `url`, `user`, `jsonData`, `secureJsonData`).
 * Nothing secret is written: each `secureJsonData` entry names a key of a Secret the user creates, which
 * reaches the Grafana container as an environment variable that the provisioning file references
 * (`${VAR}`, the only expansion Grafana does there). `jsonData` keys that look like credentials are refused.
 * The datasource's address becomes one of Grafana's external endpoints (`src/lib/external.ts`), so the
 * NetworkPolicies let Grafana reach it.
 */
import * as z from 'zod';
import {
  basicAuthSchema, dnsSubdomain, hasInvisible, httpUrlProblem, list, obj, printable, report, secretKey, showValue, text, uniqueBy,
} from '../../config/fields';
import { stackDatasourceIdentities } from '../../lib/datasources';

const SECRET_LOOKING = /(password|passwd|secret|token|api[-_]?key|credential|private[-_]?key)/i;
const HOST_PORT = /^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*):(\d{1,5})$/;
const URL_EXAMPLE = 'http://billing-db.billing.svc:5432';

/** Host and port of a datasource address: an http(s) URL, or `host:port` (databases). */
export function datasourceHostPort(url: string): { host: string; port: number; scheme?: 'http' | 'https' } | undefined {
  const http = /^(https?):\/\/([A-Za-z0-9.-]+)(?::(\d{1,5}))?(?:[/?#]|$)/.exec(url);
  if (http) return { scheme: http[1] as 'http' | 'https', host: http[2].toLowerCase(), port: http[3] !== undefined ? Number(http[3]) : http[1] === 'https' ? 443 : 80 };
  const hp = HOST_PORT.exec(url);
  return hp ? { host: hp[1].toLowerCase(), port: Number(hp[2]) } : undefined;
}

/** JSON values as `jsonData` holds them, with credential-looking keys refused at any depth. */
function jsonIssues(value: unknown, path: Array<string | number>, ctx: z.RefinementCtx<unknown>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    if (typeof value === 'string' && hasInvisible(value)) report(ctx, path, value, 'contains a control, zero-width or other invisible character', 'use visible characters only');
    return;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) report(ctx, path, value, 'is not a JSON number', 'use a finite number');
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => jsonIssues(v, [...path, i], ctx));
    return;
  }
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_LOOKING.test(k)) {
        report(ctx, [...path, k], v, 'looks like a credential, which would be written into the output', `put it in secureJsonData as { ${JSON.stringify(k)}: { secretName: "...", key: "..." } }`);
      } else {
        jsonIssues(v, [...path, k], ctx);
      }
    }
    return;
  }
  report(ctx, path, value, 'is not a JSON value', 'use a string, number, boolean, null, list or object');
}

const jsonDataSchema = z.record(z.string(), z.unknown(), { error: 'must be an object' })
  .superRefine((v, ctx) => jsonIssues(v, [], ctx as z.RefinementCtx<unknown>)).readonly();

/** A `secureJsonData` value: a key of a Secret the user creates, never the value. */
const secretRefSchema = obj({ secretName: dnsSubdomain('billing-db-grafana'), key: secretKey('password') }).readonly();

export const extraDatasourceSchema = obj({
  /** `name`, as Grafana lists it; unique, not one of the stack's datasources' (`stackDatasourceIdentities`). */
  name: printable('Billing DB'),
  /** `type`: the plugin id, e.g. `grafana-postgresql-datasource`, `elasticsearch`, `prometheus`. */
  type: text(['is not a plugin id', 'use the plugin\'s id, e.g. "grafana-postgresql-datasource"'],
    (v) => (/^[a-z0-9][a-z0-9._-]{0,99}$/.test(v) ? undefined : ['is not a plugin id', 'use lower-case letters, digits, "-", "_" and ".", e.g. "grafana-postgresql-datasource"'])),
  /** `uid`: what dashboards reference; unique, not one of the stack's. */
  uid: text(['is not a datasource uid', 'use up to 40 letters, digits, "-" and "_", e.g. "billing-db"'],
    (v) => (/^[A-Za-z0-9_-]{1,40}$/.test(v) ? undefined : ['is not a datasource uid', 'use up to 40 letters, digits, "-" and "_", e.g. "billing-db"'])),
  /** `url`: an http(s) URL, or `host:port` for a database; never with credentials. @default - none (plugins without an address) */
  url: text(['must be a string', `use e.g. "${URL_EXAMPLE}"`], (v) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return httpUrlProblem(v, 'https://elasticsearch.example.com:9200', { path: true });
    const m = HOST_PORT.exec(v);
    if (m === null) return ['is not an http(s) URL or "host:port"', `use e.g. "${URL_EXAMPLE}" (the port written)`];
    if (!(Number(m[2]) >= 1 && Number(m[2]) <= 65535)) return ['has a port outside 1 to 65535', `use e.g. "${URL_EXAMPLE}"`];
    return undefined;
  }).optional(),
  /** `user`: the database user (SQL datasources). */
  user: printable('grafana').optional(),
  /** Basic auth (`basicAuth`, `basicAuthUser`, `secureJsonData.basicAuthPassword`), the password from a Secret. */
  basicAuth: basicAuthSchema('billing-db-grafana', 'use the user name the datasource expects').optional(),
  /** `jsonData`: the plugin's settings as JSON (nothing secret: those go in secureJsonData). */
  jsonData: jsonDataSchema.optional(),
  /** `secureJsonData`: each key from a Secret the user creates, e.g. `{ password: { secretName: "billing-db-grafana", key: "password" } }`. */
  secureJsonData: z.record(
    text(['must be a string', 'use the plugin\'s key, e.g. "password"'], (v) => (/^[A-Za-z][A-Za-z0-9_]{0,99}$/.test(v) ? undefined : ['is not a secureJsonData key', 'use letters, digits and "_", e.g. "password"'])),
    secretRefSchema,
    { error: 'must be a map of Secret references' },
  ).readonly().optional(),
}).superRefine((d, ctx) => {
  const stackNames = stackDatasourceIdentities().map((n) => n.name);
  if (stackNames.includes(d.name)) report(ctx, ['name'], d.name, `is the name of one of the stack's datasources (${stackNames.map((n) => showValue(n)).join(', ')})`, 'choose another name, e.g. "Billing DB"');
  if (d.basicAuth !== undefined && d.secureJsonData?.basicAuthPassword !== undefined) {
    report(ctx, ['secureJsonData', 'basicAuthPassword'], d.secureJsonData.basicAuthPassword, 'is set by basicAuth already', 'remove it (basicAuth.secretName and passwordKey give it)');
  }
}).readonly();

export type ExtraDatasourceSpec = z.infer<typeof extraDatasourceSchema>;

/**
 * The list, names and uids unique; the uids of every datasource the stack may provision (read when a config
 * is checked) refused, whether or not this environment provisions it (each entry refuses their names).
 */
export function extraDatasourcesSchema() {
  return list(extraDatasourceSchema, '[{ name: "Billing DB", type: "grafana-postgresql-datasource", uid: "billing-db", url: "billing-db.billing.svc:5432" }]')
    .superRefine(uniqueBy((d) => d.name, 'is used by another of grafana.extraDatasources', 'give each datasource its own name', 'name'))
    .superRefine(uniqueBy((d) => d.uid, 'is used by another of grafana.extraDatasources', 'give each datasource its own uid', 'uid'))
    .superRefine((ds, ctx) => {
      if (ds.length === 0) return;
      const uids = stackDatasourceIdentities().map((s) => s.uid);
      ds.forEach((d, i) => {
        if (uids.includes(d.uid)) report(ctx, [i, 'uid'], d.uid, `is the uid of one of the stack's datasources (${uids.map((u) => showValue(u)).join(', ')})`, 'choose another uid, e.g. "billing-db"');
      });
    });
}

/** One environment variable of the Grafana container filled from a key of the user's Secret. */
export interface DatasourceSecretEnv {
  readonly name: string;
  readonly secretName: string;
  readonly key: string;
}

/** What the provisioning file holds for one extra datasource, with `${VAR}` references for the secrets. */
export interface ExtraDatasourceInput {
  readonly spec: ExtraDatasourceSpec;
  /** secureJsonData key -> environment variable holding it. */
  readonly secureEnv: Readonly<Record<string, string>>;
}

/**
 * The environment variables the extra datasources' secrets arrive in: `EXTRA_DATASOURCE_<n>_SECRET_<m>`
 * (the n-th datasource, its m-th key in sorted order), and each datasource's key -> variable map.
 */
export function extraDatasourceEnv(specs: readonly ExtraDatasourceSpec[]): { env: DatasourceSecretEnv[]; inputs: ExtraDatasourceInput[] } {
  const env: DatasourceSecretEnv[] = [];
  const inputs = specs.map((spec, i) => {
    const refs: Record<string, { secretName: string; key: string }> = { ...(spec.secureJsonData ?? {}) };
    if (spec.basicAuth) refs.basicAuthPassword = { secretName: spec.basicAuth.secretName, key: spec.basicAuth.passwordKey };
    const secureEnv: Record<string, string> = {};
    Object.keys(refs).sort().forEach((k, j) => {
      const name = `EXTRA_DATASOURCE_${i + 1}_SECRET_${j + 1}`;
      secureEnv[k] = name;
      env.push({ name, secretName: refs[k].secretName, key: refs[k].key });
    });
    return { spec, secureEnv };
  });
  return { env, inputs };
}
