/**
 * Values for prometheus-community/prometheus 29.27.0: the server only (Alertmanager, node-exporter,
 * kube-state-metrics and Pushgateway off), as a StatefulSet like the manifests, with the configuration
 * from `renderPrometheusConfig` (the same function the manifests use).
 *
 * How the chart builds `prometheus.yml` (templates/cm.yaml): `global` from `server.global`; then
 * `scrape_configs` = the enabled entries of the `scrapeConfigs` map (chart defaults, which we all disable)
 * followed by `serverFiles."prometheus.yml".scrape_configs` (ours, order kept); `rule_files` from
 * `serverFiles."prometheus.yml"`. `ruleFiles` entries become files next to it in `/etc/config`.
 * `remote_write` = `server.remoteWrite` (each `url` through `tpl`, escaped): the manifests' `renderRemoteWrite`
 * entries, whose credential files live under the same folder because `server.extraSecretMounts`
 * (templates/deploy.yaml: the whole Secret, read-only) mounts each referenced Secret at
 * `<secretsDir>/<secret>`, as the manifests do.
 * `alerting.alertmanagers` = `server.alertmanagers` verbatim (toYaml, no `tpl`): the manifests'
 * `renderAlertmanagers` entries, their credential Secrets mounted the same way. The chart's own Alertmanager
 * stays off; with it off and `server.alertmanagers` empty the chart writes no `alerting` block at all.
 */
import { type ComponentScrapeTarget, type PrometheusConfigFile, type ScrapeConfig, renderPrometheusConfig } from '../../../components/prometheus/prometheus-config';
import { PROMETHEUS_PATHS, effectiveRetentionSize, prometheusSecretMounts, prometheusSelfTarget, renderAlertmanagers, renderRemoteWrite } from '../../../components/prometheus/prometheus';
import type { AlertmanagerConfig, RemoteWriteConfig } from '../../../components/prometheus/prometheus-config';
import { HELM_SIDECAR_IMAGES, HELM_SIDECAR_RESOURCES } from '../../../config/defaults';
import type { StackConfig } from '../../../config/types';
import type { Endpoints } from '../../../lib/endpoints';
import { RESTRICTED_CONTAINER_SECURITY, restrictedPodSecurity } from '../../../lib/kube';
import { PROMETHEUS_CONTAINER_PORT_NAME, helmScrapeTarget } from '../services';
import { type AlertmanagerSubchartValues, alertmanagerSubchartValues } from './alertmanager';
import { alertmanagerRuleFiles } from '../../../components/alertmanager';
import { withoutGatewayTargets } from '../../../components/otlp-gateway';
import { alertmanagerPodAddresses } from '../../../components/alertmanager/endpoints';
import type { AlertmanagerSpec } from '../../../config/types';
import {
  type ContainerSecurityContextValues, type ImageValues, type PodSecurityContextValues, type ResourcesValues,
  imageValues, resourcesValues, tplEscape,
} from './common';

/** Where the chart mounts its ConfigMap (`server.configPath`'s folder): prometheus.yml and every rule file. */
export const PROMETHEUS_CHART_CONFIG_DIR = '/etc/config';
/**
 * Our rule files end in `.yaml`; the chart's own files are `prometheus.yml`, `*_rules.yml`, `rules` and
 * `alerts` (empty defaults), so this glob loads exactly ours.
 */
export const PROMETHEUS_CHART_RULES_GLOB = `${PROMETHEUS_CHART_CONFIG_DIR}/*.yaml`;

/**
 * The chart's default jobs (values.yaml `scrapeConfigs`); each is switched off, so only ours remain (our
 * annotated-pods job reuses the name `kubernetes-pods`, unique only because the chart's is off).
 */
export const PROMETHEUS_CHART_DEFAULT_JOBS = [
  'prometheus', 'kubernetes-api-servers', 'kubernetes-nodes', 'kubernetes-nodes-cadvisor', 'kubernetes-service-endpoints',
  'kubernetes-service-endpoints-slow', 'prometheus-pushgateway', 'kubernetes-services', 'kubernetes-pods', 'kubernetes-pods-slow',
] as const;

/** The config-reload sidecar's image as chart 29.27.0 pins it (set explicitly so `common.imageRegistry` applies). */
export const PROMETHEUS_CHART_RELOADER_IMAGE = HELM_SIDECAR_IMAGES.prometheusReloader;

/** The uid/gid of the upstream image (`nobody`), as in the manifests. */
const PROMETHEUS_UID = 65534;

/** Start-up may replay a long WAL: up to 15 minutes, as in the manifests. */
const STARTUP_SECONDS = 900;
const STARTUP_PERIOD_SECONDS = 10;

export interface PrometheusChartValues {
  readonly rbac: { readonly create: boolean };
  readonly imagePullSecrets: ReadonlyArray<{ readonly name: string }>;
  readonly serviceAccounts: { readonly server: { readonly create: boolean } };
  readonly commonMetaLabels: Readonly<Record<string, string>>;
  readonly configmapReload: {
    readonly prometheus: {
      readonly enabled: boolean;
      readonly image: ImageValues;
      readonly resources: ResourcesValues;
      readonly containerSecurityContext: ContainerSecurityContextValues;
    };
  };
  readonly server: {
    readonly image: ImageValues;
    readonly priorityClassName?: string;
    readonly extraFlags: readonly string[];
    readonly global: PrometheusConfigFile['global'];
    readonly portName: string;
    readonly retention: string;
    readonly retentionSize: string;
    readonly statefulSet: {
      readonly enabled: boolean;
      readonly podManagementPolicy: 'OrderedReady' | 'Parallel';
      readonly pvcDeleteOnStsDelete: boolean;
      readonly pvcDeleteOnStsScale: boolean;
    };
    readonly persistentVolume: {
      readonly enabled: boolean;
      readonly size: string;
      readonly accessModes: readonly string[];
      readonly storageClass?: string;
    };
    readonly emptyDir: { readonly sizeLimit: string };
    readonly resources: ResourcesValues;
    readonly securityContext: PodSecurityContextValues;
    readonly containerSecurityContext: ContainerSecurityContextValues;
    readonly readinessProbeInitialDelay: number;
    readonly readinessProbePeriodSeconds: number;
    readonly readinessProbeFailureThreshold: number;
    readonly livenessProbeInitialDelay: number;
    readonly livenessProbePeriodSeconds: number;
    readonly livenessProbeFailureThreshold: number;
    readonly startupProbe: { readonly enabled: boolean; readonly periodSeconds: number; readonly failureThreshold: number; readonly timeoutSeconds: number };
    readonly service: { readonly servicePort: number };
    readonly terminationGracePeriodSeconds: number;
    readonly remoteWrite?: readonly RemoteWriteConfig[];
    readonly alertmanagers?: readonly AlertmanagerConfig[];
    readonly extraSecretMounts?: ReadonlyArray<{ readonly name: string; readonly mountPath: string; readonly secretName: string; readonly readOnly: true }>;
  };
  readonly scrapeConfigs: Readonly<Record<(typeof PROMETHEUS_CHART_DEFAULT_JOBS)[number], { readonly enabled: false }>>;
  readonly ruleFiles: Readonly<Record<string, string>>;
  readonly serverFiles: {
    readonly 'prometheus.yml': { readonly rule_files: readonly string[]; readonly scrape_configs: readonly ScrapeConfig[] };
  };
  /** The chart's Alertmanager subchart: the stack's Alertmanager (#19, values/alertmanager.ts). */
  readonly alertmanager: AlertmanagerSubchartValues;
  readonly 'kube-state-metrics': { readonly enabled: boolean };
  readonly 'prometheus-node-exporter': { readonly enabled: boolean };
  readonly 'prometheus-pushgateway': { readonly enabled: boolean };
}

export interface PrometheusValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation (`helmEndpoints`). */
  readonly endpoints: Endpoints;
  /** What the manifests' Prometheus scrapes besides itself (`StackBuild.prometheusScrape`). */
  readonly scrape: { readonly components: readonly ComponentScrapeTarget[]; readonly cadvisor?: ComponentScrapeTarget };
  /** Rule files, name → YAML text; names end in `.yaml`. */
  readonly ruleFiles: Readonly<Record<string, string>>;
}

/** The Prometheus configuration the Helm installation runs: the shared renderer fed with the charts' pods. */
export function helmPrometheusConfig(input: PrometheusValuesInput): PrometheusConfigFile {
  const { cfg } = input;
  // Prometheus' own target is the manifests' one moved onto the chart's pod labels and port name.
  const self = helmScrapeTarget(prometheusSelfTarget(input.endpoints.prometheus.http));
  return renderPrometheusConfig({
    clusterName: cfg.common.clusterName,
    externalLabels: cfg.prometheus.externalLabels,
    scrapeInterval: cfg.prometheus.scrapeInterval,
    scrapeTimeout: cfg.prometheus.scrapeTimeout,
    evaluationInterval: cfg.prometheus.evaluationInterval,
    // No OTLP gateway on the Helm path (#19), so no job for it.
    components: [self, ...withoutGatewayTargets(input.scrape.components).map(helmScrapeTarget)],
    cadvisor: input.scrape.cadvisor ? helmScrapeTarget(input.scrape.cadvisor) : undefined,
    annotatedPods: cfg.prometheus.scrapeAnnotatedPods,
    ruleFilesGlob: PROMETHEUS_CHART_RULES_GLOB,
    remoteWrite: renderRemoteWrite(cfg.prometheus.remoteWrite),
    alertmanagers: renderAlertmanagers(helmAlertmanagers(input)),
  });
}

/** The subchart's replicas by pod name (on the Helm installation's headless Service), then the user's Alertmanagers (#19). */
function helmAlertmanagers({ cfg, endpoints }: PrometheusValuesInput): AlertmanagerSpec[] {
  const inStack = alertmanagerSubchartValues(cfg).enabled
    ? alertmanagerPodAddresses(endpoints.alertmanager.peersHttp, cfg.alertmanager.replicas).map((address) => ({ url: `http://${address}` }))
    : [];
  return [...inStack, ...(cfg.alerts.enabled ? cfg.alerts.alertmanagers : [])];
}

export function prometheusValues(input: PrometheusValuesInput): PrometheusChartValues {
  const { cfg } = input;
  const { common } = cfg;
  const p = cfg.prometheus;
  const promConfig = helmPrometheusConfig(input);
  for (const name of Object.keys({ ...input.ruleFiles, ...alertmanagerRuleFiles(cfg) })) {
    if (!name.endsWith('.yaml')) throw new Error(`Prometheus rule file ${name}: names must end in .yaml (the Helm path loads ${PROMETHEUS_CHART_RULES_GLOB})`);
  }
  const storageClass = p.storage.storageClassName ?? common.storageClassName;
  const alertmanagers = helmAlertmanagers(input);
  const secretMounts = prometheusSecretMounts(p.remoteWrite, alertmanagers);
  const containerSecurity: ContainerSecurityContextValues = { ...RESTRICTED_CONTAINER_SECURITY, capabilities: { drop: ['ALL'] } };
  return {
    rbac: { create: true },
    imagePullSecrets: common.imagePullSecrets.map((name) => ({ name })),
    serviceAccounts: { server: { create: true } },
    commonMetaLabels: { ...common.labels },
    configmapReload: {
      prometheus: {
        enabled: true,
        image: imageValues(PROMETHEUS_CHART_RELOADER_IMAGE, common),
        resources: resourcesValues(HELM_SIDECAR_RESOURCES),
        containerSecurityContext: containerSecurity,
      },
    },
    server: {
      image: imageValues(cfg.images.prometheus, common),
      ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
      extraFlags: [
        // The chart's default: the config reloader POSTs /-/reload.
        'web.enable-lifecycle',
        // Tempo's metrics-generator pushes span metrics and the service graph here.
        'web.enable-remote-write-receiver',
        // Exemplars carry trace IDs from histograms to Tempo.
        'enable-feature=exemplar-storage',
      ],
      global: promConfig.global,
      // The chart leaves the container port unnamed unless told; our scrape job keeps the port by name.
      portName: PROMETHEUS_CONTAINER_PORT_NAME,
      retention: p.retention,
      retentionSize: effectiveRetentionSize(p),
      statefulSet: { enabled: true, podManagementPolicy: 'OrderedReady', pvcDeleteOnStsDelete: false, pvcDeleteOnStsScale: false },
      persistentVolume: {
        enabled: p.storage.persistent,
        size: p.storage.size,
        accessModes: ['ReadWriteOnce'],
        ...(storageClass !== undefined ? { storageClass } : {}),
      },
      emptyDir: { sizeLimit: p.storage.size },
      resources: resourcesValues(p.resources),
      securityContext: restrictedPodSecurity(PROMETHEUS_UID) as PodSecurityContextValues,
      containerSecurityContext: containerSecurity,
      readinessProbeInitialDelay: 0,
      readinessProbePeriodSeconds: 5,
      readinessProbeFailureThreshold: 3,
      livenessProbeInitialDelay: 0,
      livenessProbePeriodSeconds: 15,
      livenessProbeFailureThreshold: 4,
      startupProbe: { enabled: true, periodSeconds: STARTUP_PERIOD_SECONDS, failureThreshold: Math.ceil(STARTUP_SECONDS / STARTUP_PERIOD_SECONDS), timeoutSeconds: 10 },
      service: { servicePort: input.endpoints.prometheus.http.port },
      // Time to finish writing the head block and close the WAL cleanly (as in the manifests).
      terminationGracePeriodSeconds: 120,
      ...(p.remoteWrite.length > 0 ? { remoteWrite: renderRemoteWrite(p.remoteWrite).map((r) => ({ ...r, url: tplEscape(r.url) })) } : {}),
      ...(alertmanagers.length > 0 ? { alertmanagers: renderAlertmanagers(alertmanagers) } : {}),
      ...(secretMounts.length > 0 ? {
        extraSecretMounts: secretMounts.map((m) => ({
          name: m.volume, mountPath: `${PROMETHEUS_PATHS.secretsDir}/${m.secretName}`, secretName: m.secretName, readOnly: true as const,
        })),
      } : {}),
    },
    scrapeConfigs: Object.fromEntries(PROMETHEUS_CHART_DEFAULT_JOBS.map((j) => [j, { enabled: false }])) as PrometheusChartValues['scrapeConfigs'],
    // The Watchdog rule joins the stack's rule files, as in the manifests (#19).
    ruleFiles: { ...input.ruleFiles, ...alertmanagerRuleFiles(cfg) },
    serverFiles: {
      'prometheus.yml': { rule_files: promConfig.rule_files, scrape_configs: promConfig.scrape_configs },
    },
    alertmanager: alertmanagerSubchartValues(cfg),
    'kube-state-metrics': { enabled: false },
    'prometheus-node-exporter': { enabled: false },
    'prometheus-pushgateway': { enabled: false },
  };
}

/** Reassembles the `prometheus.yml` the chart renders from our values (for parity checks and the README). */
export function prometheusConfigFromValues(v: PrometheusChartValues): PrometheusConfigFile {
  return {
    global: v.server.global,
    rule_files: [...v.serverFiles['prometheus.yml'].rule_files],
    scrape_configs: [...v.serverFiles['prometheus.yml'].scrape_configs],
    ...(v.server.remoteWrite ? { remote_write: v.server.remoteWrite.map((r) => ({ ...r, url: r.url.split('{{ "{{" }}').join('{{') })) } : {}),
    ...(v.server.alertmanagers ? { alerting: { alertmanagers: v.server.alertmanagers.map((a) => ({ ...a })) } } : {}),
  };
}
