/**
 * Values for grafana-community/grafana 12.11.1: `grafana.ini`, the datasources (same UIDs and
 * correlations) and the dashboards (same JSON) from the renderers the manifests use, with the datasource
 * URLs on the loki/tempo/prometheus charts' Services.
 *
 * Chart facts (templates at charts/grafana, ref grafana-12.11.1):
 * - Service `<fullname>` port `service.port` (80) named `service.portName` ("service"), targetPort
 *   `service.targetPort` (3000): keep targetPort = our `grafana.ini` `server.http_port`.
 * - Pods: app.kubernetes.io/name=grafana; container port named `podPortName` ("grafana"), metrics /metrics.
 * - Admin: `admin.existingSecret` + `userKey`/`passwordKey` (never `adminPassword`); with no Secret the
 *   chart generates a random password into a Secret, which breaks determinism - the dev profile must
 *   decide (existingSecret is required outside `allowDefaultAdmin`). `assertNoLeakedSecrets` stays true.
 * - Datasources: `datasources: { 'datasources.yaml': { apiVersion: 1, datasources: [...] } }`;
 *   dashboards via `dashboardProviders` + `dashboards` (inline `json`) or `sidecar.dashboards`.
 * - Security: `securityContext` (uid 472, non-root) and `containerSecurityContext` (drop ALL,
 *   RuntimeDefault) default restricted-compliant; add readOnlyRootFilesystem if the manifests do.
 * - `testFramework.enabled` default true (a test pod): turn off. Namespace: `namespaceOverride` or release.
 * - tpl: every string in `grafana.ini` and the whole datasources file go through `tpl`; dashboards JSON
 *   does not (templates/_config.tpl, templates/dashboards-json-configmap.yaml).
 * - Dashboards: `dashboards.<provider>.<key>.json` becomes `<key>.json` in ConfigMap
 *   `<fullname>-dashboards-<provider>`, mounted at /var/lib/grafana/dashboards/<provider>/, which is
 *   therefore our provider's path (the manifests mount them elsewhere; same provider otherwise).
 * - `grafana.ini` defaults merge with ours: the chart's `server.domain` template (which yields `''` without
 *   an Ingress) is removed with null so Grafana keeps its default, like the manifests.
 * - `initChownData` (a root init container) is off: fsGroup gives Grafana its volume, as in the manifests.
 * - Whenever `dashboards` is non-empty, templates/_pod.tpl adds a `download-dashboards` init container
 *   (curl, running the chart's download script; it fetches nothing for inline `json` dashboards). Its
 *   image `downloadDashboardsImage` defaults to docker.io and only follows `global.imageRegistry`, and
 *   `downloadDashboards.resources` is empty: we set the image from `HELM_SIDECAR_IMAGES` (so
 *   `common.imageRegistry` applies) and the sidecar resources, so the pod keeps requests and limits
 *   everywhere. The chart's `dashboardsConfigMaps` would avoid the container but needs ConfigMaps the
 *   chart does not create (extra manifests on the Helm path).
 * - `GOMEMLIMIT`: whenever `resources.limits.memory` is set, the chart adds its own (templates/_pod.tpl, a
 *   `resourceFieldRef` on `limits.memory`, divisor 1): the WHOLE limit, where the manifests set 90%
 *   (`goMemLimitEnv`). No value removes that entry, and ours through `env` would be a second variable of
 *   the same name (the kubelet takes the last, but the API server warns that apply may drop one of them),
 *   so the Helm path keeps the chart's and the README says so.
 *
 * Admin credentials. The manifests let the dev profile run without a Secret (Grafana's built-in first-login
 * admin). The chart cannot: with neither `admin.existingSecret` nor an admin password env, it renders a
 * Secret with a RANDOM password (a new one on every template run: non-deterministic output, GitOps drift,
 * and secret material created by us). Setting the password through `env` would put a literal credential
 * in the values. So the Helm path always references a Secret the user creates: the configured
 * `grafana.adminSecret`, or `DEFAULT_ADMIN_SECRET_NAME` with the configured keys when the config names none
 * (the README prints the `kubectl create secret` line). The pod waits for that Secret.
 */
import { DEFAULT_ADMIN_SECRET_NAME, planDashboards } from '../../../components/grafana/grafana';
import { type DatasourcesFile, escapeEnvExpansion, renderDatasources } from '../../../components/grafana/datasources';
import { type DashboardProvidersFile, type GrafanaIni, renderDashboardProviders, renderGrafanaIni } from '../../../components/grafana/grafana-config';
import { HELM_SIDECAR_IMAGES, HELM_SIDECAR_RESOURCES } from '../../../config/defaults';
import type { StackConfig } from '../../../config/types';
import { type Endpoints, lokiQueryEndpoint } from '../../../lib/endpoints';
import { RESTRICTED_CONTAINER_SECURITY, restrictedPodSecurity } from '../../../lib/kube';
import { grafanaDatasourcesFor } from '../../../components/grafana';
import { alertmanagerEnabled } from '../../../components/alertmanager';
import {
  type ContainerSecurityContextValues, type PodSecurityContextValues, type ResourcesValues,
  registryImageValues, resourcesValues, tplEscape,
} from './common';

/** The uid/gid of the upstream image (`grafana`), as in the manifests. */
const GRAFANA_UID = 472;

/** Our dashboard provider's name: the key under `dashboards` and the folder the chart mounts. */
export const GRAFANA_CHART_DASHBOARD_PROVIDER = 'obs-stack';
/** Where the chart mounts `dashboards.<provider>` (templates/_pod.tpl). */
export const GRAFANA_CHART_DASHBOARDS_DIR = `/var/lib/grafana/dashboards/${GRAFANA_CHART_DASHBOARD_PROVIDER}`;

export interface GrafanaChartValues {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent'; readonly pullSecrets: readonly string[] };
  readonly admin: { readonly existingSecret: string; readonly userKey: string; readonly passwordKey: string };
  /** null removes a chart default key. */
  readonly 'grafana.ini': Readonly<Record<string, Readonly<Record<string, string | number | boolean | null>>>>;
  readonly datasources: { readonly 'datasources.yaml': DatasourcesFile };
  readonly dashboardProviders?: { readonly 'dashboardproviders.yaml': DashboardProvidersFile };
  readonly dashboards?: Readonly<Record<string, Readonly<Record<string, { readonly json: string }>>>>;
  /** The init container the chart adds with `dashboards` (see the header). */
  readonly downloadDashboardsImage?: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent' };
  readonly downloadDashboards?: { readonly resources: ResourcesValues };
  readonly persistence: { readonly enabled: boolean; readonly size: string; readonly storageClassName?: string };
  readonly resources: ResourcesValues;
  readonly securityContext: PodSecurityContextValues;
  readonly containerSecurityContext: ContainerSecurityContextValues;
  readonly service: { readonly port: number; readonly targetPort: number };
  readonly ingress: { readonly enabled: boolean; readonly ingressClassName?: string; readonly hosts?: readonly string[]; readonly tls?: ReadonlyArray<{ readonly secretName: string; readonly hosts: readonly string[] }> };
  readonly testFramework: { readonly enabled: false };
  readonly priorityClassName?: string;
  readonly podPortName: string;
  readonly deploymentStrategy: { readonly type: 'Recreate' };
  readonly initChownData: { readonly enabled: boolean };
  readonly serviceAccount: { readonly create: boolean; readonly automountServiceAccountToken: boolean };
  readonly rbac: { readonly create: boolean };
  readonly extraEmptyDirMounts: ReadonlyArray<{ readonly name: string; readonly mountPath: string }>;
  readonly readinessProbe: ProbeValues;
  readonly livenessProbe: ProbeValues;
}

interface ProbeValues {
  readonly httpGet: { readonly path: string; readonly port: string };
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface GrafanaValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation (`helmEndpoints`). */
  readonly endpoints: Endpoints;
  /** Dashboards: file name (`*.json`) -> JSON (`dashboardsFor`). */
  readonly dashboards: Readonly<Record<string, string>>;
}

/** The renderers' output for the Helm installation (also what the parity tests compare). */
export function helmGrafanaProvisioning({ cfg, endpoints }: Omit<GrafanaValuesInput, 'dashboards'>): {
  ini: GrafanaIni; datasources: DatasourcesFile; providers: DashboardProvidersFile;
} {
  const g = cfg.grafana;
  const ingress = g.ingress.enabled ? g.ingress : undefined;
  return {
    // Grafana listens on its configured port (the container side); the chart's Service maps 80 onto it.
    ini: renderGrafanaIni({ httpPort: cfg.ports.grafana.http, publicHost: ingress?.host ?? '', tls: ingress?.tlsSecretName !== undefined }),
    datasources: escapeEnvExpansion(renderDatasources(grafanaDatasourcesFor(cfg, {
      prometheus: endpoints.prometheus.http,
      loki: cfg.loki.enabled ? lokiQueryEndpoint(endpoints) : undefined,
      tempo: cfg.tempo.enabled ? endpoints.tempo.http : undefined,
      // (#19) the prometheus chart's Alertmanager subchart, and the local rules' datasource next to a long-term store
      alertmanager: alertmanagerEnabled(cfg) ? endpoints.alertmanager.http : undefined,
      localPrometheus: cfg.grafana.metricsDatasource.url !== '' && cfg.alerts.enabled ? endpoints.prometheus.http : undefined,
    }))),
    providers: renderDashboardProviders(GRAFANA_CHART_DASHBOARDS_DIR),
  };
}

function tplEscapeDeep<T>(v: T): T {
  if (typeof v === 'string') return tplEscape(v) as T;
  if (Array.isArray(v)) return v.map(tplEscapeDeep) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tplEscapeDeep(x)])) as T;
  return v;
}

export function grafanaValues(input: GrafanaValuesInput): GrafanaChartValues {
  const { cfg, endpoints } = input;
  const { common } = cfg;
  const g = cfg.grafana;
  const { ini, datasources, providers } = helmGrafanaProvisioning(input);
  const port = endpoints.grafana.http;
  const storageClass = g.storage.storageClassName ?? common.storageClassName;
  const ingress = g.ingress.enabled ? g.ingress : undefined;
  const iniValues: Record<string, Record<string, string | number | boolean | null>> = tplEscapeDeep(ini);
  if (iniValues.server.domain === undefined) iniValues.server = { ...iniValues.server, domain: null };
  const dashboards = planDashboards(input.dashboards);
  return {
    image: { ...registryImageValues(cfg.images.grafana, common), pullSecrets: [...common.imagePullSecrets] },
    admin: { existingSecret: g.adminSecret.name === '' ? DEFAULT_ADMIN_SECRET_NAME : g.adminSecret.name, userKey: g.adminSecret.userKey, passwordKey: g.adminSecret.passwordKey },
    'grafana.ini': iniValues,
    datasources: { 'datasources.yaml': tplEscapeDeep(datasources) },
    dashboardProviders: { 'dashboardproviders.yaml': providers },
    ...(dashboards.length > 0 ? {
      dashboards: { [GRAFANA_CHART_DASHBOARD_PROVIDER]: Object.fromEntries(dashboards.map((d) => [d.file.replace(/\.json$/, ''), { json: d.json }])) },
      downloadDashboardsImage: registryImageValues(HELM_SIDECAR_IMAGES.grafanaDownloadDashboards, common),
      downloadDashboards: { resources: resourcesValues(HELM_SIDECAR_RESOURCES) },
    } : {}),
    persistence: {
      enabled: g.storage.persistent,
      size: g.storage.size,
      ...(storageClass !== undefined ? { storageClassName: storageClass } : {}),
    },
    resources: resourcesValues(g.resources),
    securityContext: restrictedPodSecurity(GRAFANA_UID) as PodSecurityContextValues,
    containerSecurityContext: { ...RESTRICTED_CONTAINER_SECURITY, privileged: false, capabilities: { drop: ['ALL'] } },
    // The chart's Service listens on 80 and forwards to Grafana's http_port.
    service: { port: port.port, targetPort: ini.server.http_port as number },
    ingress: ingress
      ? {
        enabled: true,
        ...(ingress.className !== undefined ? { ingressClassName: ingress.className } : {}),
        hosts: [ingress.host],
        ...(ingress.tlsSecretName !== undefined ? { tls: [{ secretName: ingress.tlsSecretName, hosts: [ingress.host] }] } : {}),
      }
      : { enabled: false },
    testFramework: { enabled: false },
    ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
    podPortName: 'grafana',
    // One ReadWriteOnce volume and SQLite's single writer: stop the old pod first (as in the manifests).
    deploymentStrategy: { type: 'Recreate' },
    initChownData: { enabled: false },
    serviceAccount: { create: true, automountServiceAccountToken: false },
    // Only the sidecars need API access, and they are off.
    rbac: { create: false },
    // Backend plugins use sockets in /tmp; the root filesystem is read-only.
    extraEmptyDirMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    readinessProbe: { httpGet: { path: '/api/health', port: 'grafana' }, initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    // The chart has no startup probe: liveness waits for the first start's database migrations.
    livenessProbe: { httpGet: { path: '/api/health', port: 'grafana' }, initialDelaySeconds: 60, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
  };
}
