/**
 * Values for grafana-community/grafana 12.11.1: `grafana.ini`, the datasources (same UIDs and
 * correlations) and the dashboards (same JSON) from the renderers the manifests use, with the datasource
 * URLs on the stores' charts' Services.
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
 * - Dashboards: the chart's `dashboards` value would add a `download-dashboards` init container (curl,
 *   running the chart's download script even for inline JSON). Instead `dashboardsConfigMaps` mounts a
 *   ConfigMap obs-stack ships in `helm/extra/` (`GRAFANA_DASHBOARDS_CONFIGMAP`) as the provider's folder
 *   (templates/_pod.tpl): no init container, and Grafana's file provider picks up a changed ConfigMap
 *   without a restart (a folder mount, not subPath).
 * - Pod facts from the manifests' Deployment (`manifestsPod`): the startup, readiness and liveness probes
 *   (the chart takes all three as values), the container securityContext (the chart's default adds a
 *   container-level seccompProfile and `privileged: false`, both removed with null: the pod's RuntimeDefault
 *   applies and nothing is privileged, as in the manifests) and /tmp as an emptyDir of the manifests' size (`extraVolumes`, which keeps `sizeLimit`;
 *   `extraEmptyDirMounts` would drop it). The token is not mounted (`automountServiceAccountToken`, which
 *   the chart's pod otherwise sets to true).
 * - Limits (the README's differences list them): the data volume without persistence is `emptyDir: {}`
 *   (only the in-memory variant takes a size), and the chart always adds a `search` emptyDir at
 *   /var/lib/grafana-search without a size.
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
import { DEFAULT_ADMIN_SECRET_NAME, grafanaSecretEnv, planDashboards } from './grafana';
import { type ProvisioningFile, datasourcesProvisioning } from './datasources';
import { type DashboardProvidersFile, type GrafanaIni, renderDashboardProviders, renderGrafanaIni } from './grafana-config';
import type { StackConfig } from '../../config/types';
import { type UserSecret, userSecrets } from '../../lib/user-secrets';
import type { Endpoints } from '../registry';
import { type ManifestsPod, type ProbeValues, containerSecurityOf, emptyDirLimit, podSecurityOf, probeOf } from '../../lib/manifests-pods';
import { grafanaDatasourcesFor } from './datasource-inputs';
import {
  type ContainerSecurityContextValues, type PodPlacementValues, type PodSecurityContextValues, type ResourcesValues,
  podPlacementValues, registryImageValues, resourcesValues, tplEscape,
} from '../../lib/helm-values';

/** Our dashboard provider's name: the key under `dashboards` and the folder the chart mounts. */
export const GRAFANA_CHART_DASHBOARD_PROVIDER = 'obs-stack';
/** Where the chart mounts `dashboardsConfigMaps.<provider>` (templates/_pod.tpl). */
export const GRAFANA_CHART_DASHBOARDS_DIR = `/var/lib/grafana/dashboards/${GRAFANA_CHART_DASHBOARD_PROVIDER}`;
/** The ConfigMap in `helm/extra/` holding every dashboard (not a name the chart itself ever creates). */
export const GRAFANA_DASHBOARDS_CONFIGMAP = 'obs-stack-grafana-dashboards';
/** Grafana writes plugin sockets here; the root filesystem is read-only. */
const TMP_DIR = '/tmp';

export interface GrafanaChartValues extends PodPlacementValues {
  readonly image: { readonly registry: string; readonly repository: string; readonly tag: string; readonly pullPolicy: 'IfNotPresent'; readonly pullSecrets: readonly string[] };
  readonly admin: { readonly existingSecret: string; readonly userKey: string; readonly passwordKey: string };
  /** The long-term store's credentials from the user's Secret (the datasource file references them). */
  readonly envValueFrom?: Readonly<Record<string, { readonly secretKeyRef: { readonly name: string; readonly key: string } }>>;
  /** null removes a chart default key. */
  readonly 'grafana.ini': Readonly<Record<string, Readonly<Record<string, string | number | boolean | null>>>>;
  readonly datasources: { readonly 'datasources.yaml': ProvisioningFile };
  readonly dashboardProviders?: { readonly 'dashboardproviders.yaml': DashboardProvidersFile };
  /** Provider -> ConfigMap mounted as its folder (see the header). */
  readonly dashboardsConfigMaps?: Readonly<Record<string, string>>;
  readonly persistence: { readonly enabled: boolean; readonly size: string; readonly storageClassName?: string };
  readonly resources: ResourcesValues;
  readonly securityContext: PodSecurityContextValues;
  /** The manifests' container securityContext; null deletes the chart's additions (see the header). */
  readonly containerSecurityContext: Omit<ContainerSecurityContextValues, 'privileged'> & { readonly seccompProfile: null; readonly privileged: null };
  readonly automountServiceAccountToken: false;
  readonly service: { readonly port: number; readonly targetPort: number };
  readonly ingress: { readonly enabled: boolean; readonly ingressClassName?: string; readonly hosts?: readonly string[]; readonly tls?: ReadonlyArray<{ readonly secretName: string; readonly hosts: readonly string[] }> };
  readonly testFramework: { readonly enabled: false };
  readonly priorityClassName?: string;
  readonly podPortName: string;
  readonly deploymentStrategy: { readonly type: 'Recreate' };
  readonly initChownData: { readonly enabled: boolean };
  readonly serviceAccount: { readonly create: boolean; readonly automountServiceAccountToken: boolean };
  readonly rbac: { readonly create: boolean };
  readonly extraVolumes: ReadonlyArray<{ readonly name: string; readonly emptyDir: { readonly sizeLimit: string } }>;
  readonly extraVolumeMounts: ReadonlyArray<{ readonly name: string; readonly mountPath: string; readonly readOnly: boolean }>;
  readonly startupProbe: ProbeValues;
  readonly readinessProbe: ProbeValues;
  readonly livenessProbe: ProbeValues;
}

export interface GrafanaValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation (`helmEndpoints`). */
  readonly endpoints: Endpoints;
  /** Dashboards: file name (`*.json`) -> JSON (`dashboardsFor`); they go into `helm/extra/` (`grafanaDashboardsConfigMap`). */
  readonly dashboards: Readonly<Record<string, string>>;
  /** The manifests' Grafana pod (probes, security, /tmp size). */
  readonly pod: ManifestsPod;
}

/** The renderers' output for the Helm installation (also what the parity tests compare). */
export function helmGrafanaProvisioning({ cfg, endpoints }: Pick<GrafanaValuesInput, 'cfg' | 'endpoints'>): {
  ini: GrafanaIni; datasources: ProvisioningFile; providers: DashboardProvidersFile;
} {
  const g = cfg.grafana;
  const ingress = g.ingress.enabled ? g.ingress : undefined;
  return {
    // Grafana listens on its configured port (the container side); the chart's Service maps 80 onto it.
    ini: renderGrafanaIni({ httpPort: cfg.grafana.ports.http, publicHost: ingress?.host ?? '', tls: ingress?.tlsSecretName !== undefined }),
    // The enabled components' datasources on the installation's endpoints (the charts' Services); the Helm
    // path records no wires.
    datasources: datasourcesProvisioning(grafanaDatasourcesFor({ cfg, endpoints, connect: (to) => to })),
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
  const credentialEnv = grafanaSecretEnv(g);
  const { pod } = input;
  return {
    image: { ...registryImageValues(cfg.grafana.image, common), pullSecrets: [...common.imagePullSecrets] },
    admin: { existingSecret: helmGrafanaAdminSecret(cfg), userKey: g.adminSecret.userKey, passwordKey: g.adminSecret.passwordKey },
    ...(credentialEnv.length > 0 ? {
      envValueFrom: Object.fromEntries(credentialEnv.map((e) => [e.name, { secretKeyRef: { name: tplEscape(e.secretName), key: tplEscape(e.key) } }])),
    } : {}),
    'grafana.ini': iniValues,
    datasources: { 'datasources.yaml': tplEscapeDeep(datasources) },
    dashboardProviders: { 'dashboardproviders.yaml': providers },
    ...(dashboards.length > 0 ? { dashboardsConfigMaps: { [GRAFANA_CHART_DASHBOARD_PROVIDER]: GRAFANA_DASHBOARDS_CONFIGMAP } } : {}),
    persistence: {
      enabled: g.storage.persistent,
      size: g.storage.size,
      ...(storageClass !== undefined ? { storageClassName: storageClass } : {}),
    },
    resources: resourcesValues(g.resources),
    securityContext: podSecurityOf(pod) as PodSecurityContextValues,
    containerSecurityContext: { ...(containerSecurityOf(pod) as ContainerSecurityContextValues), seccompProfile: null, privileged: null },
    automountServiceAccountToken: false,
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
    extraVolumes: [{ name: 'tmp', emptyDir: { sizeLimit: emptyDirLimit(pod, TMP_DIR) } }],
    extraVolumeMounts: [{ name: 'tmp', mountPath: TMP_DIR, readOnly: false }],
    startupProbe: probeOf(pod, 'startupProbe'),
    readinessProbe: probeOf(pod, 'readinessProbe'),
    livenessProbe: probeOf(pod, 'livenessProbe'),
    ...podPlacementValues(g.pods, common),
  };
}

/** The admin Secret the grafana release reads: the configured one, else `DEFAULT_ADMIN_SECRET_NAME` (see the header). */
export function helmGrafanaAdminSecret(cfg: StackConfig): string {
  return cfg.grafana.adminSecret.name === '' ? DEFAULT_ADMIN_SECRET_NAME : cfg.grafana.adminSecret.name;
}

/** The Secrets a Helm installation needs the user to create: the manifests' ones, plus Grafana's admin Secret. */
export function helmUserSecrets(cfg: StackConfig): UserSecret[] {
  const out = userSecrets(cfg);
  const g = cfg.grafana;
  const name = helmGrafanaAdminSecret(cfg);
  if (g.enabled && !out.some((s) => s.name === name && s.namespace === cfg.common.namespace)) {
    out.push({ name, namespace: cfg.common.namespace, keys: [g.adminSecret.userKey, g.adminSecret.passwordKey], purpose: 'Grafana admin user and password (the grafana chart needs one)' });
  }
  return out;
}
