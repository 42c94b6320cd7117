/**
 * Grafana's config slice: the schema (type and runtime check in one), its defaults, and what each profile
 * changes.
 */
import * as z from 'zod';
import {
  basicAuthSchema, bearerTokenSchema, dnsSubdomain, flag, headers, image, oneCredential, isDnsSubdomain, listenPorts, obj, oneOf, optionalHttpUrl, report, resourcesSchema, secretKey,
  storageSchema, text, hasInvisible, type ProfileChanges,
} from '../../config/fields';
import { extraDatasourcesSchema } from './extra-datasources';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

const grafanaIngressSchema = obj({
  enabled: flag(),
  /** Public host name; also Grafana's `server.root_url`. */
  host: text(['is not a valid DNS name', 'use lower-case letters, digits, "-" and ".", e.g. "grafana.example.com"'],
    (v) => (v === '' || isDnsSubdomain(v) ? undefined : ['is not a valid DNS name', 'use lower-case letters, digits, "-" and ".", e.g. "grafana.example.com"'])),
  /** `spec.ingressClassName`. @default - the cluster's default IngressClass */
  className: dnsSubdomain('nginx').optional(),
  /** Secret (created by the user or cert-manager) holding the TLS certificate for `host`. @default - plain HTTP */
  tlsSecretName: dnsSubdomain('grafana-tls').optional(),
}).superRefine((i, ctx) => {
  if (i.enabled && i.host === '') report(ctx, ['host'], i.host, 'is empty but grafana.ingress.enabled is true', 'set the public host name, e.g. "grafana.example.com"');
}).readonly();

export const grafanaSchema = obj({
  enabled: flag(),
  /** The Grafana image, pinned. */
  image: image({ repository: 'docker.io/grafana/grafana', tag: '13.2.0' }, { registryHost: true }),
  /** Listen port (`server.http_port`). */
  ports: listenPorts('grafana', { http: 3000 }),
  resources: resourcesSchema,
  storage: storageSchema,
  /**
   * Secret (created by the user) with the admin credentials. Empty `name`: Grafana's first-login default
   * (admin/admin, change prompted) — allowed only where `allowDefaultAdmin` is true (the dev profile).
   */
  adminSecret: obj({
    name: text(['is not a valid DNS name', 'use lower-case letters, digits, "-" and ".", e.g. "grafana-admin"'],
      (v) => (v === '' || isDnsSubdomain(v) ? undefined : ['is not a valid DNS name', 'use lower-case letters, digits, "-" and ".", e.g. "grafana-admin"'])),
    userKey: secretKey('admin-user'),
    passwordKey: secretKey('admin-password'),
  }).superRefine((s, ctx) => {
    if (s.userKey === s.passwordKey) report(ctx, ['passwordKey'], s.passwordKey, 'equals grafana.adminSecret.userKey', 'use two keys, e.g. "admin-user" and "admin-password"');
  }).readonly(),
  allowDefaultAdmin: flag(),
  /**
   * Query metrics from a long-term store (Mimir, Thanos query) instead of the stack's metrics store. Same
   * datasource UID either way, so dashboards and correlations keep working. Empty `url`: the stack's store.
   */
  metricsDatasource: obj({
    /** Prometheus-compatible query URL, e.g. `https://mimir.example.com/prometheus`; never with credentials. */
    url: optionalHttpUrl('https://mimir.example.com/prometheus'),
    type: oneOf(['Prometheus', 'Mimir', 'Thanos', 'Cortex'], 'is not a Prometheus-compatible store type', 'use "Prometheus", "Mimir", "Thanos" or "Cortex"'),
    /** Extra headers (not secrets), e.g. `X-Scope-OrgID`. */
    headers: headers(),
    /**
     * Basic auth: user name in config, password from a Secret the user creates (`secretName`/`passwordKey`),
     * which reaches Grafana as an environment variable its provisioning file references. @default - none
     */
    basicAuth: basicAuthSchema('metrics-query', 'use the user name the store expects, e.g. "obs-stack"').optional(),
    /** Bearer token (`Authorization: Bearer ...`) from a Secret the user creates (`secretName`/`tokenKey`). @default - none */
    bearerToken: bearerTokenSchema('metrics-query').optional(),
  }).superRefine((md, ctx) => {
    oneCredential(md, ctx);
    if (md.url === '' && (md.basicAuth !== undefined || md.bearerToken !== undefined)) {
      report(ctx, ['url'], md.url, 'is empty but credentials are set (they are for a long-term store; the local Prometheus needs none)',
        'set the store\'s query URL, or remove basicAuth/bearerToken');
    }
  }).readonly(),
  ingress: grafanaIngressSchema,
  /**
   * Datasources of your own next to the stack's (`extra-datasources.ts`): Grafana's provisioning keys,
   * secrets only as references to a Secret you create. @default - none
   */
  extraDatasources: extraDatasourcesSchema(),
  /**
   * A folder of dashboard JSON files (`*.json`, e.g. exported from Grafana) provisioned next to the stack's,
   * relative to the folder synth runs in. Each file must parse and carry a `uid` and `title` of its own.
   * @default - none
   */
  dashboardsFolder: text(['must be a string', 'use a folder path, e.g. "dashboards"'], (v) => {
    if (v.trim() === '' || hasInvisible(v)) return ['is not a folder path', 'use e.g. "dashboards" (relative to where synth runs) or an absolute path'];
    return undefined;
  }).optional(),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).superRefine((g, ctx) => {
  if (g.enabled && g.adminSecret.name === '' && !g.allowDefaultAdmin) {
    report(ctx, ['adminSecret', 'name'], g.adminSecret.name, 'is empty, and this profile does not allow Grafana\'s default admin password',
      'create a Secret (see README: kubectl create secret generic grafana-admin ...) and set its name here');
  }
}).readonly();

export type GrafanaConfig = z.infer<typeof grafanaSchema>;
export type GrafanaIngress = z.infer<typeof grafanaIngressSchema>;

export const GRAFANA_DEFAULTS: GrafanaConfig = {
  enabled: true,
  image: { repository: 'docker.io/grafana/grafana', tag: '13.2.0' },
  ports: { http: 3000 },
  resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
  storage: { persistent: false, size: '1Gi', storageClassName: undefined },
  adminSecret: { name: '', userKey: 'admin-user', passwordKey: 'admin-password' },
  allowDefaultAdmin: false,
  metricsDatasource: { url: '', type: 'Prometheus', headers: {} },
  ingress: { enabled: false, host: '', className: undefined, tlsSecretName: undefined },
  extraDatasources: [],
  dashboardsFolder: undefined,
  pods: POD_DEFAULTS,
};

/** dev: the first-login admin is allowed; prod and large: an admin Secret is required; large: dashboards read the long-term store. */
export const GRAFANA_PROFILES: ProfileChanges<GrafanaConfig> = {
  dev: {
    resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '300m', memory: '384Mi' } },
    allowDefaultAdmin: true,
  },
  prod: {
    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    storage: { persistent: true, size: '5Gi' },
    adminSecret: { name: 'grafana-admin' },
  },
  large: {
    resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '2', memory: '2Gi' } },
    storage: { persistent: true, size: '5Gi' },
    adminSecret: { name: 'grafana-admin' },
    // Dashboards read the long-term store, which holds the stack's samples and history; it
    // wants credentials as the remote write does (a reader's, from a Secret of its own).
    metricsDatasource: {
      url: 'https://mimir.example.com/prometheus',
      type: 'Mimir',
      basicAuth: { username: 'obs-stack', secretName: 'metrics-query', passwordKey: 'password' },
    },
  },
};
