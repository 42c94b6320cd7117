/**
 * Values for prometheus-community/prometheus 29.27.0: the server (Alertmanager and Pushgateway off; the
 * node-exporter and kube-state-metrics subcharts as below), as a StatefulSet like the manifests, with the configuration
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
 * manifests' pods (`kubeStateMetricsSubchart`, `nodeExporterSubchart`); the scrape jobs are the manifests'
 * ones moved onto the subcharts' pod labels and port names (their folders' `helm` parts). The chart's own server ClusterRole already grants what the cluster jobs need
 * (nodes, nodes/metrics, services, endpointslices, pods and `/metrics`; templates/clusterrole.yaml).
 */
import { type ComponentScrapeTarget, type PrometheusConfigFile, type ScrapeConfig, renderPrometheusConfig } from './prometheus-config';
import {
  PROMETHEUS_PATHS, prometheusExtraJobs, prometheusFeatureFlags, prometheusLimits, prometheusQueryFlags, prometheusSecretMounts, prometheusSelfTarget, renderAlertmanagers, renderRemoteWrite,
} from './prometheus';
import type { AlertmanagerConfig, OtlpConfig, RemoteWriteConfig } from './prometheus-config';
import { NODE_EXPORTER_TEXTFILE_MOUNT, nodeExporterCollectorArgs } from '../node-exporter/node-exporter';
import { KUBE_STATE_METRICS_RESOURCES, kubeStateMetricsLabelsAllowlist } from '../kube-state-metrics/kube-state-metrics';
import { clusterMonitoringEndpoints } from '../../lib/endpoints';
import { goMemLimitEnv } from '../../lib/kube';
import type { ClusterScrapeTarget } from '../../lib/scrape';
import type { AlertmanagerSpec, StackConfig } from '../../config/types';
import type { Endpoints } from '../../lib/endpoints';
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum } from '../../lib/kube';
import { toYaml } from '../../lib/yaml';
import { type ManifestsPod, type ProbeTimings, containerSecurityOf, emptyDirLimit, gracePeriodOf, podSecurityOf, probeOf, probeTimingsOf } from '../../outputs/helm/manifests-pods';
import type { ChartPodFacts, HelmReleases } from '../../lib/helm';
import { PROMETHEUS_CONTAINER_PORT_NAME } from './helm';
import { type AlertmanagerSubchartValues, alertmanagerSubchartValues } from '../alertmanager/helm-values';
import { alertmanagerDeployed, inStackAlertmanagers } from '../alertmanager';
import { otlpGatewayDeployed } from '../otlp-gateway';
import { prometheusOtlpPromotedLabels } from '../../lib/otlp';
import {
  type ContainerSecurityContextValues, type ImageValues, type PodPlacementValues, type PodSecurityContextValues, type RegistryImageValues, type ResourcesValues,
  imageValues, podPlacementValues, registryImageValues, resourcesValues, tplEscape,
} from '../../outputs/helm/values/common';

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
    /** The chart writes it as `otlp` of prometheus.yml (templates/cm.yaml), with the OTLP gateway. */
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

/** The kube-state-metrics subchart (8.4.0) as the manifests run it. */
export interface KubeStateMetricsSubchartValues extends PodPlacementValues {
  readonly enabled: true;
  readonly image: RegistryImageValues;
  readonly imagePullSecrets: readonly string[];
  readonly priorityClassName?: string;
  readonly customLabels: Readonly<Record<string, string>>;
  readonly replicas: 1;
  /** `--resources` (templates/_helpers.tpl `kube-state-metrics.collectors`); the ClusterRole follows it (templates/role.yaml). */
  readonly collectors: readonly string[];
  readonly metricLabelsAllowlist: readonly string[];
  readonly service: { readonly port: number };
  readonly selfMonitor: { readonly enabled: false; readonly telemetryPort: number };
  /** Service annotation only: the annotated-pods job reads pod annotations, so leaving it on would mislead. */
  readonly prometheusScrape: false;
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly resources: ResourcesValues;
  readonly securityContext: PodSecurityContextValues & { readonly enabled: true };
  readonly containerSecurityContext: ContainerSecurityContextValues;
  /** Timings only: templates/deployment.yaml writes the paths (`/livez` on `http`, `/readyz` on `metrics`). */
  readonly livenessProbe: ProbeTimings;
  readonly readinessProbe: ProbeTimings;
}

/** The prometheus-node-exporter subchart (4.56.1) as the manifests run it, in the agents namespace (Linux nodes, every taint tolerated). */
export interface NodeExporterSubchartValues extends PodPlacementValues {
  readonly enabled: true;
  /** The release namespace is the main one, whose Pod Security level (restricted) forbids host access. */
  readonly namespaceOverride: string;
  readonly image: RegistryImageValues;
  readonly imagePullSecrets: readonly string[];
  readonly priorityClassName?: string;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly hostNetwork: true;
  readonly hostPID: true;
  readonly hostRootFsMount: { readonly enabled: true; readonly mountPropagation: 'HostToContainer' };
  /** `fsGroup: null` takes out the chart's default one, which the manifests do not set (the pod writes no volume). */
  readonly securityContext: Omit<PodSecurityContextValues, 'fsGroup'> & { readonly fsGroup: number | null };
  readonly containerSecurityContext: ContainerSecurityContextValues;
  /** Timings only: templates/daemonset.yaml probes `/` on the metrics port. */
  readonly livenessProbe: ProbeTimings;
  readonly readinessProbe: ProbeTimings;
  readonly terminationGracePeriodSeconds: number;
  readonly service: {
    readonly port: number;
    readonly targetPort: number;
    readonly portName: string;
    /** false: listen on the node's address (`status.hostIP`), as the manifests do. */
    readonly listenOnAllInterfaces: false;
    /** `null` takes out the chart's default `prometheus.io/scrape: "true"` (as `prometheusScrape: false` above). */
    readonly annotations: { readonly 'prometheus.io/scrape': null };
  };
  /** After the chart's own `--path.*` and `--web.listen-address` flags (templates/daemonset.yaml). */
  readonly extraArgs: readonly string[];
  readonly extraHostVolumeMounts: ReadonlyArray<{ readonly name: string; readonly hostPath: string; readonly mountPath: string; readonly readOnly: true; readonly type: 'Directory' }>;
  readonly env: Readonly<Record<string, string>>;
  readonly resources: ResourcesValues;
}

/** The pods of the manifests' node-exporter and kube-state-metrics, whichever are on. */
export interface ClusterMonitoringPods {
  readonly nodeExporter?: ManifestsPod;
  readonly kubeStateMetrics?: ManifestsPod;
}

export function kubeStateMetricsSubchart(cfg: StackConfig, pod: ManifestsPod): KubeStateMetricsSubchartValues {
  const k = cfg.kubeStateMetrics;
  return {
    enabled: true,
    image: registryImageValues(k.image, cfg.common),
    imagePullSecrets: [...cfg.common.imagePullSecrets],
    ...(cfg.common.priorityClassName !== undefined ? { priorityClassName: cfg.common.priorityClassName } : {}),
    customLabels: { ...cfg.common.labels },
    replicas: 1,
    collectors: KUBE_STATE_METRICS_RESOURCES.map((r) => r.resource).sort(),
    metricLabelsAllowlist: [kubeStateMetricsLabelsAllowlist()],
    service: { port: k.port },
    selfMonitor: { enabled: false, telemetryPort: k.telemetryPort },
    prometheusScrape: false,
    env: [goMemLimitEnv(k.resources) as { name: string; value: string }],
    resources: resourcesValues(k.resources),
    securityContext: { enabled: true, ...(podSecurityOf(pod) as PodSecurityContextValues) },
    containerSecurityContext: containerSecurityOf(pod) as ContainerSecurityContextValues,
    livenessProbe: probeTimingsOf(pod, 'livenessProbe'),
    readinessProbe: probeTimingsOf(pod, 'readinessProbe'),
    ...podPlacementValues(k.pods, cfg.common),
  };
}

export function nodeExporterSubchart(cfg: StackConfig, pod: ManifestsPod): NodeExporterSubchartValues {
  const n = cfg.nodeExporter;
  const port = clusterMonitoringEndpoints(cfg).nodeExporter.http;
  return {
    enabled: true,
    namespaceOverride: cfg.common.agentNamespace,
    image: registryImageValues(n.image, cfg.common),
    imagePullSecrets: [...cfg.common.imagePullSecrets],
    ...(cfg.common.priorityClassName !== undefined ? { priorityClassName: cfg.common.priorityClassName } : {}),
    commonLabels: { ...cfg.common.labels },
    hostNetwork: true,
    hostPID: true,
    hostRootFsMount: { enabled: true, mountPropagation: 'HostToContainer' },
    securityContext: { fsGroup: null, ...(podSecurityOf(pod) as PodSecurityContextValues) },
    containerSecurityContext: containerSecurityOf(pod) as ContainerSecurityContextValues,
    livenessProbe: probeTimingsOf(pod, 'livenessProbe'),
    readinessProbe: probeTimingsOf(pod, 'readinessProbe'),
    terminationGracePeriodSeconds: gracePeriodOf(pod),
    service: { port: port.port, targetPort: port.port, portName: port.portName, listenOnAllInterfaces: false, annotations: { 'prometheus.io/scrape': null } },
    extraArgs: nodeExporterCollectorArgs(n),
    extraHostVolumeMounts: n.textfileDirectory === '' ? [] : [{ name: 'textfile', hostPath: n.textfileDirectory, mountPath: NODE_EXPORTER_TEXTFILE_MOUNT, readOnly: true, type: 'Directory' }],
    env: { GOMEMLIMIT: goMemLimitEnv(n.resources).value! },
    resources: resourcesValues(n.resources),
    ...podPlacementValues(n.pods, cfg.common, { nodeSelector: { 'kubernetes.io/os': 'linux' }, tolerations: [{ operator: 'Exists' }] }),
  };
}

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
  /** The manifests' cluster monitoring pods, for the subcharts. */
  readonly clusterPods: ClusterMonitoringPods;
  /** The manifests' Alertmanager pod, when the stack runs one (the subchart takes its facts). */
  readonly alertmanagerPod?: ManifestsPod;
  readonly releases: HelmReleases;
  /** The pod facts of a component the Helm path runs (`ValuesContext.podFacts`); undefined for one it does not. */
  readonly podFacts: (component: string) => ChartPodFacts | undefined;
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

/** The subchart's replicas by pod name on its headless Service, then the Alertmanagers the user runs. */
function helmAlertmanagers({ cfg, endpoints }: Pick<PrometheusValuesInput, 'cfg' | 'endpoints'>): AlertmanagerSpec[] {
  return [
    ...(alertmanagerDeployed(cfg) ? inStackAlertmanagers(endpoints.alertmanager.peers, cfg.alertmanager.replicas) : []),
    ...(cfg.alerts.enabled ? cfg.alerts.alertmanagers : []),
  ];
}

/** The Prometheus configuration the Helm installation runs: the shared renderer fed with the charts' pods. */
export function helmPrometheusConfig(input: Omit<PrometheusValuesInput, 'pod' | 'clusterPods' | 'alertmanagerPod' | 'releases'>): PrometheusConfigFile {
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
    alertmanagers: renderAlertmanagers(helmAlertmanagers(input)),
    // The OTLP gateway release forwards metrics to the OTLP receiver, as in the manifests.
    otlpPromoteResourceAttributes: otlpGatewayDeployed(cfg) ? prometheusOtlpPromotedLabels() : undefined,
    ...prometheusLimits(cfg.prometheus),
    extraJobs: prometheusExtraJobs(cfg.prometheus),
  });
}

export function prometheusValues(input: PrometheusValuesInput): PrometheusChartValues {
  const { cfg } = input;
  const { common } = cfg;
  const p = cfg.prometheus;
  const promConfig = helmPrometheusConfig(input);
  for (const name of Object.keys(input.ruleFiles)) {
    if (!name.endsWith('.yaml')) throw new Error(`Prometheus rule file ${name}: names must end in .yaml (the Helm path loads ${PROMETHEUS_CHART_RULES_GLOB})`);
  }
  const storageClass = p.storage.storageClassName ?? common.storageClassName;
  const alertmanagers = helmAlertmanagers(input);
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
    alertmanager: alertmanagerSubchartValues(cfg, input.releases, input.alertmanagerPod),
    'kube-state-metrics': input.clusterPods.kubeStateMetrics ? kubeStateMetricsSubchart(cfg, input.clusterPods.kubeStateMetrics) : { enabled: false },
    'prometheus-node-exporter': input.clusterPods.nodeExporter ? nodeExporterSubchart(cfg, input.clusterPods.nodeExporter) : { enabled: false },
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
