/**
 * `grafana.ini` and the dashboard provider file as typed data, with Grafana's own section and key names
 * (https://grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/). Pure: settings in, object out.
 */
import { TIMEOUTS } from '../../config/sizing';

export type IniValue = string | number | boolean;
/** Sections in file order; keys in insertion order. */
export type GrafanaIni = Record<string, Record<string, IniValue>>;

/** Paths inside the Grafana container. They match the upstream image's `GF_PATHS_*` defaults. */
const CONFIG_DIR = '/etc/grafana';

/** Grafana folder holding the stack's provisioned dashboards. */
export const GRAFANA_FOLDER = { title: 'obs-stack', uid: 'obs-stack' } as const;
/** Provisioning lives inside the config directory, so one read-only ConfigMap mount carries both. */
export const PROVISIONING_SUBDIR = 'provisioning';

export const GRAFANA_PATHS = {
  /** One read-only mount: grafana.ini plus the provisioning files. */
  configDir: CONFIG_DIR,
  configFile: 'grafana.ini',
  provisioningDir: `${CONFIG_DIR}/${PROVISIONING_SUBDIR}`,
  /** SQLite database, plugins, sessions: the volume that is a PVC in prod. */
  dataDir: '/var/lib/grafana',
  pluginsDir: '/var/lib/grafana/plugins',
  // Logs go to the console (JSON); the logs path still has to be writable with a read-only root
  // filesystem, so it sits on the data volume rather than the image's /var/log/grafana.
  logsDir: '/var/lib/grafana/log',
  homeDir: '/usr/share/grafana',
  /** Dashboard JSON files read by the provider (outside the data volume, so nothing there is state). */
  dashboardsDir: '/var/lib/grafana-dashboards',
} as const;

/** File names inside `provisioningDir`. */
export const PROVISIONING_FILES = {
  datasources: 'datasources/datasources.yaml',
  dashboards: 'dashboards/obs-stack.yaml',
} as const;

export interface GrafanaIniInput {
  readonly httpPort: number;
  /** Public host (Ingress); empty when Grafana is reached through port-forward. */
  readonly publicHost: string;
  /** The public URL is HTTPS (the Ingress terminates TLS). */
  readonly tls: boolean;
}

/** Grafana's public URL: the Ingress host when there is one, else Grafana's default (`http://localhost:<port>/`). */
export function grafanaRootUrl(input: GrafanaIniInput): string | undefined {
  if (input.publicHost === '') return undefined;
  return `${input.tls ? 'https' : 'http'}://${input.publicHost}/`;
}

export function renderGrafanaIni(input: GrafanaIniInput): GrafanaIni {
  const rootUrl = grafanaRootUrl(input);
  return {
    paths: {
      data: GRAFANA_PATHS.dataDir,
      logs: GRAFANA_PATHS.logsDir,
      plugins: GRAFANA_PATHS.pluginsDir,
      provisioning: GRAFANA_PATHS.provisioningDir,
    },
    server: {
      protocol: 'http',
      http_port: input.httpPort,
      ...(rootUrl !== undefined ? { domain: input.publicHost, root_url: rootUrl } : {}),
      enable_gzip: true,
    },
    database: {
      type: 'sqlite3',
      // Relative to paths.data: on the PVC in prod.
      path: 'grafana.db',
      // Write-ahead log: readers (dashboards) do not block on writers (provisioning, sessions).
      wal: true,
    },
    // Grafana's HTTP timeout for datasources that set none (30 s by default, below the backends' query
    // timeout): the same as each provisioned datasource's own `timeout`.
    dataproxy: { timeout: TIMEOUTS.grafana },
    analytics: {
      reporting_enabled: false,
      check_for_updates: false,
      check_for_plugin_updates: false,
      feedback_links_enabled: false,
    },
    news: { news_feed_enabled: false },
    security: {
      disable_gravatar: true,
      // Session cookies only over HTTPS when the public URL is HTTPS (a port-forward is plain HTTP).
      cookie_secure: input.tls,
      cookie_samesite: 'lax',
    },
    users: {
      allow_sign_up: false,
      allow_org_create: false,
    },
    'auth.anonymous': { enabled: false },
    snapshots: {
      // Public snapshot sharing uploads dashboard data to an external service.
      external_enabled: false,
    },
    plugins: {
      // The datasource plugins ship with the pinned image; do not replace them with newer downloads at start.
      preinstall_auto_update: false,
    },
    log: { mode: 'console', level: 'info' },
    // JSON lines: the log agents lift `level` out of them, like every other component's logs.
    'log.console': { format: 'json' },
    metrics: { enabled: true },
  };
}

/** INI text: `[section]` blocks of `key = value`, in insertion order. */
export function iniText(ini: GrafanaIni): string {
  return Object.entries(ini)
    .map(([section, keys]) => [`[${section}]`, ...Object.entries(keys).map(([k, v]) => `${k} = ${String(v)}`)].join('\n'))
    .join('\n\n') + '\n';
}

/** One dashboard provider of `provisioning/dashboards/*.yaml`. */
export interface DashboardProvider {
  name: string;
  orgId: number;
  type: 'file';
  folder: string;
  folderUid: string;
  disableDeletion: boolean;
  /** Provisioned dashboards are code: edits in the UI cannot be saved (save a copy instead). */
  allowUiUpdates: boolean;
  updateIntervalSeconds: number;
  options: { path: string; foldersFromFilesStructure: boolean };
}

export interface DashboardProvidersFile {
  apiVersion: 1;
  providers: DashboardProvider[];
}

export function renderDashboardProviders(path: string): DashboardProvidersFile {
  return {
    apiVersion: 1,
    providers: [{
      name: 'obs-stack',
      orgId: 1,
      type: 'file',
      folder: GRAFANA_FOLDER.title,
      folderUid: GRAFANA_FOLDER.uid,
      // A dashboard removed from the code is removed from Grafana too.
      disableDeletion: false,
      allowUiUpdates: false,
      updateIntervalSeconds: 60,
      options: { path, foldersFromFilesStructure: false },
    }],
  };
}
