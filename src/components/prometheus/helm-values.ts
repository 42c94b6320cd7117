/**
 * Values for prometheus-community/prometheus 29.27.0: the server (Pushgateway off; the subcharts run other
 * components of the stack, as below), as a StatefulSet like the manifests, with the configuration
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
 * `renderAlertmanagers` entries (`alertTargets`), their credential Secrets mounted the same way. It is set
 * whenever the chart's alertmanager subchart is on (that component receives alerts), so the chart's own
 * discovery of the subchart's pods is never written; with both empty and off the chart writes no `alerting` block.
 *
 * Configuration changes: the chart's config-reloader sidecar (`configmapReload.prometheus`) needs
 * `--web.enable-lifecycle`, which also opens unauthenticated `/-/reload` and `/-/quit` on the API. Both stay
 * off; instead `server.podAnnotations` carries a checksum of everything the chart writes into the
 * ConfigMap (templates/cm.yaml: `server.global`, `serverFiles`, `ruleFiles`, `server.remoteWrite`,
 * `server.alertmanagers`), so a change rolls the pod, as in the manifests.
 *
 * Pod facts come from the manifests' StatefulSet (`manifestsPod`): probe timings, grace period, security
 * contexts, and the data directory (`server.persistentVolume.mountPath`, which the chart also passes as
 * `--storage.tsdb.path`). templates/deploy.yaml hard-codes the startup probe's path (`/-/healthy`); the
 * manifests probe `/-/ready` (the README's differences list it).
 *
 * Cluster monitoring (#18): the chart's `kube-state-metrics` (8.4.0, app 2.20.0) and
 * `prometheus-node-exporter` (4.56.1, app 1.12.1) subcharts run node-exporter and kube-state-metrics with
 * the manifests' images, flags, collectors, resources, probe timings and security contexts, read from the
 * manifests' pods (their folders' helm-values.ts); the scrape jobs are the manifests'
 * ones moved onto the subcharts' pod labels and port names (their folders' `helm` parts). The chart's own server ClusterRole already grants what the cluster jobs need
 * (nodes, nodes/metrics, services, endpointslices, pods and `/metrics`; templates/clusterrole.yaml).
 */
import { type ComponentScrapeTarget, type PrometheusConfigFile, type ScrapeConfig, renderPrometheusConfig } from './prometheus-config';
import {
  PROMETHEUS_PATHS, alertTargets, prometheusExtraJobs, prometheusFeatureFlags, prometheusLimits, prometheusQueryFlags, prometheusSecretMounts, prometheusSelfTarget, renderAlertmanagers,
  renderRemoteWrite,
} from './prometheus';
import { type AlertmanagerConfig, type OtlpConfig, type RemoteWriteConfig, prometheusOtlpPromotedLabels } from './prometheus-config';
import type { ClusterScrapeTarget } from '../../lib/scrape';
import type { AlertmanagerSpec, StackConfig } from '../../config/types';
import { stackSends } from '../../lib/receivers';
import { WireLog } from '../../lib/wiring';
import type { Endpoints } from '../registry';
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum } from '../../lib/kube';
import { toYaml } from '../../lib/yaml';
import { type ManifestsPod, containerSecurityOf, emptyDirLimit, gracePeriodOf, podSecurityOf, probeOf } from '../../lib/manifests-pods';
import type { ChartPodFacts } from '../../lib/helm';
import { PROMETHEUS_CONTAINER_PORT_NAME } from './helm';
import type { AlertmanagerSubchartValues } from '../alertmanager/helm-values';
import type { KubeStateMetricsSubchartValues } from '../kube-state-metrics/helm-values';
import type { NodeExporterSubchartValues } from '../node-exporter/helm-values';
import {
  type ContainerSecurityContextValues, type ImageValues, type PodPlacementValues, type PodSecurityContextValues, type ResourcesValues,
  imageValues, podPlacementValues, resourcesValues, tplEscape,
} from '../../lib/helm-values';

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

export interface PrometheusChartValues {
  readonly rbac: { readonly create: boolean };
  readonly imagePullSecrets: ReadonlyArray<{ readonly name: string }>;
  readonly serviceAccounts: { readonly server: { readonly create: boolean } };
  readonly commonMetaLabels: Readonly<Record<string, string>>;
  /** Off: no reloader sidecar, so no lifecycle API (see the header). */
  readonly configmapReload: { readonly prometheus: { readonly enabled: false } };
  /** `podAnnotations`: `checksum/config` over the ConfigMap's inputs (see the header), after the user's. */
  readonly server: PodPlacementValues & {
    readonly image: ImageValues;
    readonly priorityClassName?: string;
    readonly extraFlags: readonly string[];
    readonly global: PrometheusConfigFile['global'];
    readonly portName: string;
    /** Empty: the chart writes no deprecated retention flag; retention is in `tsdb` (the config file). */
    readonly retention: '';
    readonly retentionSize: '';
    /** The chart writes it as `storage.tsdb` of prometheus.yml. */
    readonly tsdb: PrometheusConfigFile['storage']['tsdb'];
    /** The chart writes it as `otlp` of prometheus.yml (templates/cm.yaml), while a component sends OTLP metrics. */
    readonly otlp?: OtlpConfig;
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
      /** Also `--storage.tsdb.path`. */
      readonly mountPath: string;
    };
    readonly emptyDir: { readonly sizeLimit: string };
    readonly resources: ResourcesValues;
    readonly securityContext: PodSecurityContextValues;
    readonly containerSecurityContext: ContainerSecurityContextValues;
    readonly readinessProbeInitialDelay: number;
    readonly readinessProbePeriodSeconds: number;
    readonly readinessProbeTimeout: number;
    readonly readinessProbeFailureThreshold: number;
    readonly livenessProbeInitialDelay: number;
    readonly livenessProbePeriodSeconds: number;
    readonly livenessProbeTimeout: number;
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
  /** The chart's Alertmanager subchart: the stack's Alertmanager (alertmanager/helm-values.ts). */
  readonly alertmanager: AlertmanagerSubchartValues;
  readonly 'kube-state-metrics': KubeStateMetricsSubchartValues | { readonly enabled: false };
  readonly 'prometheus-node-exporter': NodeExporterSubchartValues | { readonly enabled: false };
  readonly 'prometheus-pushgateway': { readonly enabled: boolean };
}

/** The subcharts that run components of the stack, by subchart name (each `{ enabled: false }` while its component is off). */
export type PrometheusSubchartValues = Pick<PrometheusChartValues, 'alertmanager' | 'kube-state-metrics' | 'prometheus-node-exporter'>;

export interface PrometheusValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation (`helmEndpoints`). */
  readonly endpoints: Endpoints;
  /** What the manifests' Prometheus scrapes besides itself (`StackBuild.prometheusScrape`). */
  readonly scrape: { readonly components: readonly ComponentScrapeTarget[]; readonly nodeContainers?: ComponentScrapeTarget; readonly cluster?: readonly ClusterScrapeTarget[] };
  /** Rule files, name → YAML text; names end in `.yaml`. */
  readonly ruleFiles: Readonly<Record<string, string>>;
  /** The manifests' Prometheus pod (probes, grace period, security, data directory). */
  readonly pod: ManifestsPod;
  /** The subcharts' values (`ValuesContext.subcharts`): each component the chart runs through one builds its own. */
  readonly subcharts: PrometheusSubchartValues;
  /** The pod facts of a component the Helm path runs (`ValuesContext.podFacts`); undefined for one it does not. */
  readonly podFacts: (component: string) => ChartPodFacts | undefined;
  /** Where the Helm installation's connections are recorded. @default - a log of its own */
  readonly wires?: WireLog;
}

/**
 * A manifests-path scrape target moved to the chart's pods: same job and namespace, the chart's (or
 * subchart's) `app.kubernetes.io/name` and metrics port name. Jobs of components the charts do not run (which
 * the manifests deploy either way) are kept.
 */
function onChartPods(t: ComponentScrapeTarget, podFacts: PrometheusValuesInput['podFacts']): ComponentScrapeTarget {
  const pod = podFacts(t.job);
  return pod === undefined ? t : { ...t, appName: pod.appName, portName: pod.metricsPortName, metricsPath: pod.metricsPath };
}

type ConfigInput = Omit<PrometheusValuesInput, 'pod' | 'subcharts'>;

/** The alerts' targets on the installation's endpoints (`alertTargets`), wired in the Helm installation's log. */
function helmAlertTargets({ cfg, endpoints, wires = new WireLog() }: ConfigInput): AlertmanagerSpec[] {
  return alertTargets(cfg, endpoints, (...w) => wires.connect(...w));
}

/** The Prometheus configuration the Helm installation runs: the shared renderer fed with the charts' pods. */
export function helmPrometheusConfig(input: ConfigInput): PrometheusConfigFile {
  return configWith(input, helmAlertTargets(input));
}

function configWith(input: ConfigInput, alertmanagers: readonly AlertmanagerSpec[]): PrometheusConfigFile {
  const { cfg } = input;
  // Prometheus' own target is the manifests' one moved onto the chart's pod labels and port name.
  const helmTarget = (t: ComponentScrapeTarget) => onChartPods(t, input.podFacts);
  const self = helmTarget(prometheusSelfTarget(input.endpoints.prometheus.http));
  return renderPrometheusConfig({
    clusterName: cfg.common.clusterName,
    externalLabels: cfg.prometheus.externalLabels,
    scrapeInterval: cfg.prometheus.scrapeInterval,
    scrapeTimeout: cfg.prometheus.scrapeTimeout,
    evaluationInterval: cfg.prometheus.evaluationInterval,
    components: [self, ...input.scrape.components.map(helmTarget)],
    nodeContainers: input.scrape.nodeContainers ? helmTarget(input.scrape.nodeContainers) : undefined,
    cluster: input.scrape.cluster,
    annotatedPods: cfg.prometheus.scrapeAnnotatedPods,
    ruleFilesGlob: PROMETHEUS_CHART_RULES_GLOB,
    remoteWrite: renderRemoteWrite(cfg.prometheus.remoteWrite),
    alertmanagers: renderAlertmanagers(alertmanagers),
    // On while a component sends metrics to the OTLP receiver, as in the manifests.
    otlpPromoteResourceAttributes: stackSends('metrics-otlp', cfg, input.endpoints) ? prometheusOtlpPromotedLabels() : undefined,
    ...prometheusLimits(cfg.prometheus),
    extraJobs: prometheusExtraJobs(cfg.prometheus),
  });
}

export function prometheusValues(input: PrometheusValuesInput): PrometheusChartValues {
  const { cfg } = input;
  const { common } = cfg;
  const p = cfg.prometheus;
  const alertmanagers = helmAlertTargets(input);
  const promConfig = configWith(input, alertmanagers);
  for (const name of Object.keys(input.ruleFiles)) {
    if (!name.endsWith('.yaml')) throw new Error(`Prometheus rule file ${name}: names must end in .yaml (the Helm path loads ${PROMETHEUS_CHART_RULES_GLOB})`);
  }
  const storageClass = p.storage.storageClassName ?? common.storageClassName;
  const secretMounts = prometheusSecretMounts(p.remoteWrite, alertmanagers, p.extraScrapeConfigs);
  const { pod } = input;
  const readiness = probeOf(pod, 'readinessProbe');
  const liveness = probeOf(pod, 'livenessProbe');
  const startup = probeOf(pod, 'startupProbe');
  const remoteWrite = p.remoteWrite.length > 0 ? renderRemoteWrite(p.remoteWrite).map((r) => ({ ...r, url: tplEscape(r.url) })) : undefined;
  const serverFiles = { 'prometheus.yml': { rule_files: promConfig.rule_files, scrape_configs: promConfig.scrape_configs } };
  const ruleFiles = { ...input.ruleFiles };
  const alerting = alertmanagers.length > 0 ? renderAlertmanagers(alertmanagers) : undefined;
  const checksum = configChecksum(toYaml({
    global: promConfig.global, serverFiles, ruleFiles, remoteWrite: remoteWrite ?? null, alertmanagers: alerting ?? null,
    tsdb: promConfig.storage.tsdb, otlp: promConfig.otlp ?? null,
  }));
  return {
    rbac: { create: true },
    imagePullSecrets: common.imagePullSecrets.map((name) => ({ name })),
    serviceAccounts: { server: { create: true } },
    commonMetaLabels: { ...common.labels },
    configmapReload: { prometheus: { enabled: false } },
    server: {
      image: imageValues(cfg.prometheus.image, common),
      ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
      ...podPlacementValues(p.pods, common, { podAnnotations: { [CONFIG_CHECKSUM_ANNOTATION]: checksum } }),
      extraFlags: [...prometheusFeatureFlags(promConfig.otlp !== undefined), ...prometheusQueryFlags(p)],
      global: promConfig.global,
      // The chart leaves the container port unnamed unless told; our scrape job keeps the port by name.
      portName: PROMETHEUS_CONTAINER_PORT_NAME,
      retention: '',
      retentionSize: '',
      tsdb: { ...promConfig.storage.tsdb, retention: { ...promConfig.storage.tsdb.retention } },
      ...(promConfig.otlp ? { otlp: promConfig.otlp } : {}),
      statefulSet: { enabled: true, podManagementPolicy: 'OrderedReady', pvcDeleteOnStsDelete: false, pvcDeleteOnStsScale: false },
      persistentVolume: {
        enabled: p.storage.persistent,
        size: p.storage.size,
        accessModes: ['ReadWriteOnce'],
        ...(storageClass !== undefined ? { storageClass } : {}),
        mountPath: PROMETHEUS_PATHS.dataDir,
      },
      emptyDir: { sizeLimit: p.storage.persistent ? p.storage.size : emptyDirLimit(pod, PROMETHEUS_PATHS.dataDir) },
      resources: resourcesValues(p.resources),
      securityContext: podSecurityOf(pod) as PodSecurityContextValues,
      containerSecurityContext: containerSecurityOf(pod) as ContainerSecurityContextValues,
      readinessProbeInitialDelay: readiness.initialDelaySeconds,
      readinessProbePeriodSeconds: readiness.periodSeconds,
      readinessProbeTimeout: readiness.timeoutSeconds,
      readinessProbeFailureThreshold: readiness.failureThreshold,
      livenessProbeInitialDelay: liveness.initialDelaySeconds,
      livenessProbePeriodSeconds: liveness.periodSeconds,
      livenessProbeTimeout: liveness.timeoutSeconds,
      livenessProbeFailureThreshold: liveness.failureThreshold,
      startupProbe: { enabled: true, periodSeconds: startup.periodSeconds, failureThreshold: startup.failureThreshold, timeoutSeconds: startup.timeoutSeconds },
      service: { servicePort: input.endpoints.prometheus.http.port },
      // Time to finish writing the head block and close the WAL cleanly (as in the manifests).
      terminationGracePeriodSeconds: gracePeriodOf(pod),
      ...(remoteWrite ? { remoteWrite } : {}),
      ...(alerting ? { alertmanagers: alerting } : {}),
      ...(secretMounts.length > 0 ? {
        extraSecretMounts: secretMounts.map((m) => ({
          name: m.volume, mountPath: `${PROMETHEUS_PATHS.secretsDir}/${m.secretName}`, secretName: m.secretName, readOnly: true as const,
        })),
      } : {}),
    },
    scrapeConfigs: Object.fromEntries(PROMETHEUS_CHART_DEFAULT_JOBS.map((j) => [j, { enabled: false }])) as PrometheusChartValues['scrapeConfigs'],
    ruleFiles,
    serverFiles,
    ...input.subcharts,
    'prometheus-pushgateway': { enabled: false },
  };
}

/** Reassembles the `prometheus.yml` the chart renders from our values (for parity checks and the README). */
export function prometheusConfigFromValues(v: PrometheusChartValues): PrometheusConfigFile {
  return {
    global: v.server.global,
    storage: { tsdb: { ...v.server.tsdb, retention: { ...v.server.tsdb.retention } } },
    rule_files: [...v.serverFiles['prometheus.yml'].rule_files],
    scrape_configs: [...v.serverFiles['prometheus.yml'].scrape_configs],
    ...(v.server.remoteWrite ? { remote_write: v.server.remoteWrite.map((r) => ({ ...r, url: r.url.split('{{ "{{" }}').join('{{') })) } : {}),
    ...(v.server.alertmanagers ? { alerting: { alertmanagers: v.server.alertmanagers.map((a) => ({ ...a })) } } : {}),
    ...(v.server.otlp ? { otlp: { ...v.server.otlp } } : {}),
  };
}
