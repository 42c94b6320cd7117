/**
 * Grafana: one home for metrics, logs and traces. One replica in a Deployment; datasources, the dashboard
 * provider and the dashboards are provisioned from ConfigMaps, so the database volume holds only users,
 * sessions and UI-made state, and losing it loses nothing the stack defines.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, GrafanaConfig, ImageSpec } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import {
  DATA_VOLUME,
  commonPodSpec, containerPort, goMemLimitEnv, httpProbe, imageRef, meta,
  quantity, resources, RESTRICTED_CONTAINER_SECURITY, restrictedPodSecurity, scratchVolume, serviceProps,
  startupProbe, serviceAccount,
} from '../../lib/kube';
import { toYaml } from '../../lib/yaml';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import { type DatasourceAuthEnv, type DatasourcesInput, datasourcesProvisioning } from './datasources';
import { extraDatasourceEnv } from './extra-datasources';
import { GRAFANA_PATHS, PROVISIONING_FILES, PROVISIONING_SUBDIR, iniText, renderDashboardProviders, renderGrafanaIni } from './grafana-config';

export const GRAFANA_IDENTITY = { name: 'grafana', component: 'visualization' } as const;

/** The uid the upstream image runs as (`grafana`). */
const GRAFANA_UID = 472;

/**
 * Annotation on the Deployment when no admin Secret is configured: Grafana then creates its built-in
 * first-login account, which is only acceptable on a laptop cluster.
 */
export const DEFAULT_ADMIN_ANNOTATION = 'obs-stack/admin-credentials';
export const DEFAULT_ADMIN_NOTE =
  'none configured: Grafana\'s first-login default (user admin, password admin) applies and Grafana asks for a new password at first login; set grafana.adminSecret.name to use a Secret';

/**
 * The command that creates the admin Secret the Deployment reads (for the README and the synth summary).
 * The password is generated on the user's machine; it never passes through obs-stack.
 */
/** Name of the admin Secret when the config names none (the command below creates it; the Helm path requires it). */
export const DEFAULT_ADMIN_SECRET_NAME = 'grafana-admin';

export function adminSecretCommand(config: GrafanaConfig, namespace: string): string {
  const s = config.adminSecret;
  return `kubectl -n ${namespace} create secret generic ${s.name === '' ? DEFAULT_ADMIN_SECRET_NAME : s.name} ` +
    `--from-literal=${s.userKey}=admin --from-literal=${s.passwordKey}="$(openssl rand -base64 24)"`;
}

/** Environment variables that carry the long-term store's credentials into Grafana (from the user's Secret). */
export const METRICS_DATASOURCE_ENV = {
  basicAuthPassword: 'METRICS_DATASOURCE_BASIC_AUTH_PASSWORD',
  bearerToken: 'METRICS_DATASOURCE_BEARER_TOKEN',
} as const;

/** One environment variable of the Grafana container read from a key of the user's Secret. */
export interface SecretEnv {
  readonly name: string;
  readonly secretName: string;
  readonly key: string;
}

/**
 * The long-term metrics store's credentials (`grafana.metricsDatasource.basicAuth` / `bearerToken`): the
 * environment variables that hold them, and how the datasource references them. None for the stack's own metrics store.
 */
export function metricsDatasourceCredentials(md: GrafanaConfig['metricsDatasource']): { env: SecretEnv[]; auth?: DatasourceAuthEnv } {
  if (md.url === '') return { env: [] };
  if (md.basicAuth !== undefined) {
    const name = METRICS_DATASOURCE_ENV.basicAuthPassword;
    return {
      env: [{ name, secretName: md.basicAuth.secretName, key: md.basicAuth.passwordKey }],
      auth: { basicAuth: { user: md.basicAuth.username, passwordEnv: name } },
    };
  }
  if (md.bearerToken !== undefined) {
    const name = METRICS_DATASOURCE_ENV.bearerToken;
    return { env: [{ name, secretName: md.bearerToken.secretName, key: md.bearerToken.tokenKey }], auth: { bearerTokenEnv: name } };
  }
  return { env: [] };
}

/**
 * Every environment variable Grafana reads from the user's Secrets for its datasources: the long-term
 * store's credentials, then the extra datasources' `secureJsonData` (`extraDatasourceEnv`).
 */
export function grafanaSecretEnv(config: GrafanaConfig): SecretEnv[] {
  return [...metricsDatasourceCredentials(config.metricsDatasource).env, ...extraDatasourceEnv(config.extraDatasources).env];
}

/** Annotation on the Service telling how to reach Grafana when no Ingress is enabled. */
export const ACCESS_ANNOTATION = 'obs-stack/access';
/** Local port of the documented port-forward (the original demo's, clear of a local Grafana on 3000). */
export const PORT_FORWARD_LOCAL_PORT = 13000;

/** The port-forward command that reaches Grafana without an Ingress. */
export function portForwardHint(endpoint: Endpoint): string {
  return `kubectl -n ${endpoint.namespace} port-forward svc/${endpoint.service} ${PORT_FORWARD_LOCAL_PORT}:${endpoint.port}, then open http://localhost:${PORT_FORWARD_LOCAL_PORT}/`;
}

/**
 * A ConfigMap holds at most 1 MiB. Each dashboard gets its own ConfigMap so the limit applies per
 * dashboard. (Client-side `kubectl apply` also copies the object into an annotation capped at 256 KiB;
 * dashboards larger than that need `kubectl apply --server-side`.)
 */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/** Room left for the ConfigMap's metadata within the 1 MiB object limit. */
const CONFIGMAP_METADATA_HEADROOM = 16 * 1024;

export interface GrafanaProps {
  readonly config: GrafanaConfig;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly endpoint: Endpoint;
  /** Datasource URLs and settings, from the other components' endpoints. */
  readonly datasources: DatasourcesInput;
  /** Dashboards provisioned into the stack's folder: file name (`*.json`) -> dashboard JSON. */
  readonly dashboards: Readonly<Record<string, string>>;
}

/** Grafana's own scrape target: it serves `/metrics` on its HTTP port. */
export function grafanaScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return componentScrapeTarget(GRAFANA_IDENTITY.name, 'Grafana', endpoint);
}

const DASHBOARD_FILE = /^[A-Za-z0-9][-._A-Za-z0-9]*\.json$/;

/** The ConfigMap name for one dashboard file: `grafana-dashboard-<stem>`, lower-cased to a DNS name. */
export function dashboardConfigMapName(file: string): string {
  const stem = file.replace(/\.json$/, '').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
  return `grafana-dashboard-${stem}`.slice(0, 253).replace(/-+$/, '');
}

/** Checks dashboard file names and sizes; returns them sorted with their ConfigMap names. */
export function planDashboards(dashboards: Readonly<Record<string, string>>): Array<{ file: string; configMap: string; json: string }> {
  const seen = new Map<string, string>();
  return Object.keys(dashboards).sort().map((file) => {
    if (!DASHBOARD_FILE.test(file)) {
      throw new Error(`grafana dashboards: file name ${JSON.stringify(file)} is not a "<name>.json" of letters, digits, "-", "_" and "."`);
    }
    const json = dashboards[file];
    const bytes = Buffer.byteLength(json);
    if (bytes > CONFIGMAP_MAX_BYTES - CONFIGMAP_METADATA_HEADROOM) {
      throw new Error(`grafana dashboards: ${file} is ${bytes} bytes, over the ${CONFIGMAP_MAX_BYTES - CONFIGMAP_METADATA_HEADROOM}-byte ConfigMap budget; split the dashboard`);
    }
    const configMap = dashboardConfigMapName(file);
    const clash = seen.get(configMap);
    if (clash !== undefined) throw new Error(`grafana dashboards: ${clash} and ${file} map to the same ConfigMap ${configMap}; rename one`);
    seen.set(configMap, file);
    return { file, configMap, json };
  });
}

export class Grafana extends Chart {
  readonly iniText: string;
  readonly datasourcesYaml: string;
  readonly dashboardProvidersYaml: string;

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, endpoint, labeler } = props;
    const ns = endpoint.namespace;
    const name = GRAFANA_IDENTITY.name;
    const labels = labeler.labels({ ...GRAFANA_IDENTITY, version: props.image.tag });
    const selector = labeler.selector(name);
    const ingress = config.ingress.enabled ? config.ingress : undefined;

    this.iniText = iniText(renderGrafanaIni({
      httpPort: endpoint.port,
      publicHost: ingress?.host ?? '',
      tls: ingress?.tlsSecretName !== undefined,
    }));
    this.datasourcesYaml = toYaml(datasourcesProvisioning(props.datasources));
    this.dashboardProvidersYaml = toYaml(renderDashboardProviders(GRAFANA_PATHS.dashboardsDir));
    const dashboards = planDashboards(props.dashboards);

    const sa = serviceAccount(this, name, ns, labels);

    const configKeys = { ini: 'grafana.ini', datasources: 'datasources.yaml', dashboards: 'dashboard-providers.yaml' } as const;
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: meta(name, ns, labels),
      data: {
        [configKeys.ini]: this.iniText,
        [configKeys.datasources]: this.datasourcesYaml,
        [configKeys.dashboards]: this.dashboardProvidersYaml,
      },
    });
    for (const d of dashboards) {
      new k8s.KubeConfigMap(this, `Dashboard-${d.configMap}`, {
        metadata: meta(d.configMap, ns, labels),
        data: { [d.file]: d.json },
      });
    }

    const service = serviceProps([endpoint], labels, selector);
    new k8s.KubeService(this, 'Service', ingress ? service : {
      ...service,
      metadata: { ...service.metadata, annotations: { [ACCESS_ANNOTATION]: portForwardHint(endpoint) } },
    });

    // Data: a standalone claim (a Deployment has no claim templates), labelled with the stable selector labels.
    let dataVolume: k8s.Volume;
    if (config.storage.persistent) {
      const storageClassName = config.storage.storageClassName ?? common.storageClassName;
      const pvc = new k8s.KubePersistentVolumeClaim(this, 'Data', {
        metadata: meta(`${name}-data`, ns, selector),
        spec: {
          accessModes: ['ReadWriteOnce'],
          ...(storageClassName !== undefined ? { storageClassName } : {}),
          resources: { requests: { storage: quantity(config.storage.size) } },
        },
      });
      dataVolume = { name: DATA_VOLUME, persistentVolumeClaim: { claimName: pvc.name } };
    } else {
      dataVolume = scratchVolume(DATA_VOLUME, config.storage.size);
    }

    const dashboardsVolume: k8s.Volume = dashboards.length > 0
      ? { name: 'dashboards', projected: { sources: dashboards.map((d) => ({ configMap: { name: d.configMap } })) } }
      : scratchVolume('dashboards', '1Mi');

    const adminEnv: k8s.EnvVar[] = config.adminSecret.name !== ''
      ? [
        { name: 'GF_SECURITY_ADMIN_USER', valueFrom: { secretKeyRef: { name: config.adminSecret.name, key: config.adminSecret.userKey } } },
        { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: config.adminSecret.name, key: config.adminSecret.passwordKey } } },
      ]
      : [];
    const deploymentAnnotations = config.adminSecret.name === '' ? { [DEFAULT_ADMIN_ANNOTATION]: DEFAULT_ADMIN_NOTE } : undefined;
    // The datasource file references these; the values stay in the user's Secret.
    const credentialEnv: k8s.EnvVar[] = grafanaSecretEnv(config)
      .map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: e.secretName, key: e.key } } }));

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta(name, ns, labels, deploymentAnnotations),
      spec: {
        replicas: 1,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        // The ReadWriteOnce volume cannot be mounted by a new pod while the old one holds it (and SQLite
        // allows one writer): stop the old pod first instead of deadlocking a rolling update.
        strategy: { type: 'Recreate' },
        template: {
          metadata: { labels },
          spec: {
            ...commonPodSpec(common, { serviceAccountName: sa.name }),
            securityContext: restrictedPodSecurity(GRAFANA_UID),
            containers: [{
              name,
              image: imageRef(props.image, common),
              imagePullPolicy: 'IfNotPresent',
              // The image's GF_PATHS_* variables override grafana.ini: set them to the same paths.
              env: [
                { name: 'GF_PATHS_CONFIG', value: `${GRAFANA_PATHS.configDir}/${GRAFANA_PATHS.configFile}` },
                { name: 'GF_PATHS_DATA', value: GRAFANA_PATHS.dataDir },
                { name: 'GF_PATHS_HOME', value: GRAFANA_PATHS.homeDir },
                { name: 'GF_PATHS_LOGS', value: GRAFANA_PATHS.logsDir },
                { name: 'GF_PATHS_PLUGINS', value: GRAFANA_PATHS.pluginsDir },
                { name: 'GF_PATHS_PROVISIONING', value: GRAFANA_PATHS.provisioningDir },
                goMemLimitEnv(config.resources),
                ...adminEnv,
                ...credentialEnv,
              ],
              ports: [containerPort(endpoint)],
              resources: resources(config.resources),
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              // The first start runs the database migrations, which take a while on slow disks.
              startupProbe: startupProbe('/api/health', endpoint.portName, 300),
              readinessProbe: httpProbe('/api/health', endpoint.portName, { periodSeconds: 10, failureThreshold: 3 }),
              livenessProbe: httpProbe('/api/health', endpoint.portName, { periodSeconds: 15, failureThreshold: 4 }),
              volumeMounts: [
                { name: 'config', mountPath: GRAFANA_PATHS.configDir, readOnly: true },
                { name: 'dashboards', mountPath: GRAFANA_PATHS.dashboardsDir, readOnly: true },
                { name: DATA_VOLUME, mountPath: GRAFANA_PATHS.dataDir },
                // Backend plugins talk to Grafana over sockets in the temp directory.
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              {
                // grafana.ini and the provisioning files in one read-only mount (a mount inside a
                // ConfigMap mount would fail on a read-only volume).
                name: 'config',
                configMap: {
                  name: configMap.name,
                  items: [
                    { key: configKeys.ini, path: GRAFANA_PATHS.configFile },
                    { key: configKeys.datasources, path: `${PROVISIONING_SUBDIR}/${PROVISIONING_FILES.datasources}` },
                    { key: configKeys.dashboards, path: `${PROVISIONING_SUBDIR}/${PROVISIONING_FILES.dashboards}` },
                  ],
                },
              },
              dashboardsVolume,
              dataVolume,
              scratchVolume('tmp', '256Mi'),
            ],
          },
        },
      },
    });

    if (ingress) {
      new k8s.KubeIngress(this, 'Ingress', {
        metadata: meta(name, ns, labels),
        spec: {
          ...(ingress.className !== undefined ? { ingressClassName: ingress.className } : {}),
          ...(ingress.tlsSecretName !== undefined ? { tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] } : {}),
          rules: [{
            host: ingress.host,
            http: {
              paths: [{
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: endpoint.service, port: { name: endpoint.portName } } },
              }],
            },
          }],
        },
      });
    }
  }
}
