/**
 * Prometheus: the metrics store. One replica in a StatefulSet, configuration from `prometheus-config.ts`,
 * pod discovery RBAC limited to what the scrape jobs need.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import { REMOTE_WRITE_QUEUE } from './config';
import { COMPONENT_SAMPLE_LIMIT, prometheusSizing } from './sizing';
import type { AlertmanagerSpec, CommonConfig, ImageSpec, PrometheusConfig, RemoteWriteSpec, StackConfig } from '../../config/types';
import type { Endpoints } from '../registry';
import { parsePromSize } from './size';
import { effectiveRetentionSize } from './retention';
import type { Endpoint } from '../../lib/endpoints';
import { urlHostPort } from '../../lib/external';
import type { Labeler } from '../../lib/labels';
import { stackReceiver } from '../../lib/receivers';
import type { WiredEndpoint } from '../../lib/wiring';
import {
  DATA_VOLUME,
  RESTRICTED_CONTAINER_SECURITY, clusterRoleServiceAccount, commonPodSpec,
  containerPort, httpProbe, imageRef, meta, resources, restrictedPodSecurity, serviceProps, startupProbe,
} from '../../lib/kube';
import { dataStatefulSet } from '../../lib/stateful-server';
import { toYaml } from '../../lib/yaml';
import {
  type AlertmanagerConfig, type ComponentScrapeTarget, type PrometheusConfigInput, type RemoteWriteConfig, type ScrapeConfig, componentScrapeTarget, podTargetLabels,
  renderPrometheusConfig,
} from './prometheus-config';
import { type ExtraScrapeConfig, extraScrapeAccess, extraScrapeSecretRefs, renderExtraScrapeConfigs } from './scrape-configs';
import type { ApiAccess, ClusterScrapeTarget } from '../../lib/scrape';

export const PROMETHEUS_IDENTITY = { name: 'prometheus', component: 'metrics-store' } as const;
/** Prometheus's name as people write it (alert summaries). */
export const PROMETHEUS_TITLE = 'Prometheus';

/** Paths inside the Prometheus container. */
export const PROMETHEUS_PATHS = {
  // Config and rules are separate mounts side by side: a mount inside a read-only ConfigMap volume fails.
  configDir: '/etc/prometheus/config',
  configFile: 'prometheus.yaml',
  rulesDir: '/etc/prometheus/rules',
  dataDir: '/prometheus',
  /** Remote-write and Alertmanager credentials: one read-only Secret mount per Secret, `<secretsDir>/<secret>/<key>`. */
  secretsDir: '/etc/prometheus/secrets',
} as const;

/** Credentials of an HTTP client of Prometheus (a remote-write target, an Alertmanager). */
type CredentialSpec = Pick<RemoteWriteSpec, 'basicAuth' | 'bearerToken'>;

/** Secrets (name -> keys) the given targets read their credentials from. */
function credentialSecrets(targets: readonly CredentialSpec[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (name: string, key: string) => out.set(name, [...new Set([...(out.get(name) ?? []), key])].sort());
  for (const t of targets) {
    if (t.basicAuth) add(t.basicAuth.secretName, t.basicAuth.passwordKey);
    if (t.bearerToken) add(t.bearerToken.secretName, t.bearerToken.tokenKey);
  }
  return out;
}

/** Secrets (name -> keys) the remote-write targets read their credentials from. */
export function remoteWriteSecrets(targets: readonly RemoteWriteSpec[]): Map<string, string[]> {
  return credentialSecrets(targets);
}

/** Secrets (name -> keys) the Alertmanagers' credentials come from. */
export function alertmanagerSecrets(targets: readonly AlertmanagerSpec[]): Map<string, string[]> {
  return credentialSecrets(targets);
}

/** One Secret mounted read-only at `<secretsDir>/<secretName>` (volume `volume`). */
export interface PrometheusSecretMount {
  readonly volume: string;
  readonly secretName: string;
  readonly keys: readonly string[];
}

/**
 * Every credential Secret Prometheus mounts, one mount per Secret: remote-write Secrets first
 * (`remote-write-<i>`), then Secrets only Alertmanagers use (`alertmanager-<i>`), then Secrets only the
 * extra scrape jobs use (`scrape-<i>`). A Secret several of them use is mounted once with the union of keys.
 */
export function prometheusSecretMounts(
  remoteWrite: readonly RemoteWriteSpec[], alertmanagers: readonly AlertmanagerSpec[] = [], scrapeConfigs: readonly ExtraScrapeConfig[] = [],
): PrometheusSecretMount[] {
  const am = alertmanagerSecrets(alertmanagers);
  const scrape = new Map<string, string[]>();
  for (const r of extraScrapeSecretRefs(scrapeConfigs)) scrape.set(r.secretName, [...(scrape.get(r.secretName) ?? []), r.key]);
  const keysOf = (name: string, own: readonly string[]) => [...new Set([...own, ...(am.get(name) ?? []), ...(scrape.get(name) ?? [])])].sort();
  const rw = [...remoteWriteSecrets(remoteWrite)].map(([secretName, keys], i) => ({ volume: `remote-write-${i}`, secretName, keys: keysOf(secretName, keys) }));
  const amOnly = [...am].filter(([name]) => !rw.some((m) => m.secretName === name))
    .map(([secretName, keys], i) => ({ volume: `alertmanager-${i}`, secretName, keys: keysOf(secretName, keys) }));
  const mounted = new Set([...rw, ...amOnly].map((m) => m.secretName));
  const scrapeOnly = [...scrape.keys()].filter((name) => !mounted.has(name)).sort()
    .map((secretName, i) => ({ volume: `scrape-${i}`, secretName, keys: keysOf(secretName, []) }));
  return [...rw, ...amOnly, ...scrapeOnly];
}

/** The extra scrape jobs as Prometheus reads them, credentials as files under `secretsDir`. */
export function prometheusExtraJobs(config: PrometheusConfig, secretsDir: string = PROMETHEUS_PATHS.secretsDir): ScrapeConfig[] {
  return renderExtraScrapeConfigs(config.extraScrapeConfigs, { secretsDir, sampleLimit: prometheusLimits(config).sampleLimits.pods, podTargetLabels });
}

/** `basic_auth` / `authorization` as files under `<secretsDir>/<secret>/<key>`, never inline. */
function credentialFiles(t: CredentialSpec, secretsDir: string): Pick<RemoteWriteConfig, 'basic_auth' | 'authorization'> {
  return {
    ...(t.basicAuth ? { basic_auth: { username: t.basicAuth.username, password_file: `${secretsDir}/${t.basicAuth.secretName}/${t.basicAuth.passwordKey}` } } : {}),
    ...(t.bearerToken ? { authorization: { type: 'Bearer' as const, credentials_file: `${secretsDir}/${t.bearerToken.secretName}/${t.bearerToken.tokenKey}` } } : {}),
  };
}

/**
 * Where Prometheus sends firing alerts: every replica of the component that receives alerts
 * (`src/lib/receivers.ts`), wired from Prometheus, then the user's `alerts.alertmanagers`. Both paths call it
 * with their endpoints and their wire log.
 */
export function alertTargets(cfg: StackConfig, endpoints: Endpoints, wire: (from: 'prometheus', to: Endpoint, kind: 'http', purpose: string) => WiredEndpoint): AlertmanagerSpec[] {
  const receiver = stackReceiver('alerts', cfg, endpoints);
  const inStack = receiver === undefined ? [] : receiver.target(wire('prometheus', receiver.endpoint, 'http', 'sends firing alerts to every replica'));
  return [...inStack.map((url) => ({ url })), ...(cfg.alerts.enabled ? cfg.alerts.alertmanagers : [])];
}

/**
 * `alerting.alertmanagers` entries: one static target per Alertmanager (`host:port` with the port always
 * written), API v2, credentials as files mounted from the user's Secret like remote write.
 */
export function renderAlertmanagers(targets: readonly AlertmanagerSpec[], secretsDir: string = PROMETHEUS_PATHS.secretsDir): AlertmanagerConfig[] {
  return targets.map((t) => {
    const hp = urlHostPort(t.url);
    if (hp === undefined) throw new Error(`internal: Alertmanager URL ${t.url} was not validated`);
    const prefix = (t.pathPrefix ?? '').replace(/\/+$/, '');
    return {
      scheme: t.url.startsWith('https:') ? 'https' as const : 'http' as const,
      ...(prefix !== '' ? { path_prefix: prefix } : {}),
      api_version: 'v2' as const,
      ...credentialFiles(t, secretsDir),
      static_configs: [{ targets: [`${hp.host}:${hp.port}`] }],
    };
  });
}

/**
 * `remote_write` entries: credentials as files mounted from the user's Secret (`password_file`,
 * `credentials_file`), never inline, and the queue sized for a remote store (REMOTE_WRITE_QUEUE) unless set.
 */
export function renderRemoteWrite(targets: readonly RemoteWriteSpec[], secretsDir: string = PROMETHEUS_PATHS.secretsDir): RemoteWriteConfig[] {
  return targets.map((t) => ({
    name: t.name,
    url: t.url,
    ...(t.headers && Object.keys(t.headers).length > 0 ? { headers: { ...t.headers } } : {}),
    ...credentialFiles(t, secretsDir),
    queue_config: {
      capacity: t.queue?.capacity ?? REMOTE_WRITE_QUEUE.capacity,
      max_shards: t.queue?.maxShards ?? REMOTE_WRITE_QUEUE.maxShards,
      max_samples_per_send: t.queue?.maxSamplesPerSend ?? REMOTE_WRITE_QUEUE.maxSamplesPerSend,
    },
    send_exemplars: true,
    ...(t.writeRelabelConfigs && t.writeRelabelConfigs.length > 0 ? {
      write_relabel_configs: t.writeRelabelConfigs.map((r) => ({
        ...(r.sourceLabels ? { source_labels: [...r.sourceLabels] } : {}),
        ...(r.regex !== undefined ? { regex: r.regex } : {}),
        ...(r.targetLabel !== undefined ? { target_label: r.targetLabel } : {}),
        ...(r.replacement !== undefined ? { replacement: r.replacement } : {}),
        ...(r.action !== undefined ? { action: r.action } : {}),
      })),
    } : {}),
  }));
}

/** The uid/gid the upstream image runs as (`nobody`). */
const PROMETHEUS_UID = 65534;

export interface PrometheusProps {
  readonly config: PrometheusConfig;
  readonly common: CommonConfig;
  readonly clusterName: string;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly endpoint: Endpoint;
  /** Stack components to scrape (Prometheus itself is added here). */
  readonly scrapeTargets: readonly ComponentScrapeTarget[];
  /** The target that reports every container of its node (`nodeContainers`), when one is deployed. @default - none */
  readonly nodeContainersTarget?: ComponentScrapeTarget;
  /** Parts of the cluster to scrape (kubelet, API server, CoreDNS); their access needs join the RBAC. @default - none */
  readonly clusterTargets?: readonly ClusterScrapeTarget[];
  /** Rule files (name → YAML content) mounted under `rulesDir`. @default - none */
  readonly ruleFiles?: Readonly<Record<string, string>>;
  /** Alertmanagers to send firing alerts to (`alertTargets`). @default - none */
  readonly alertmanagers?: readonly AlertmanagerSpec[];
  /** Accept OTLP metrics (`--web.enable-otlp-receiver`), keeping these resource attributes as labels. @default - off */
  readonly otlp?: { readonly promoteResourceAttributes: readonly string[] };
}

/** Flags of the features the stack's writers need: the remote-write receiver, exemplars, and the OTLP receiver while something sends to it. */
export function prometheusFeatureFlags(otlp: boolean): string[] {
  return [
    // The metrics-remote-write receiver: the trace store pushes span metrics and the service graph here.
    'web.enable-remote-write-receiver',
    // Exemplars carry trace IDs from histograms to the traces datasource.
    'enable-feature=exemplar-storage',
    // The metrics-otlp receiver (/api/v1/otlp/v1/metrics), while a component sends to it.
    ...(otlp ? ['web.enable-otlp-receiver'] : []),
  ];
}

export { effectiveRetentionSize } from './retention';

/** The config renderer's inputs that come from `prometheus.*` alone: retention and sample limits. */
export function prometheusLimits(config: PrometheusConfig): Pick<PrometheusConfigInput, 'retention' | 'sampleLimits'> {
  const size = prometheusSizing(config);
  return {
    retention: { time: config.retention, size: effectiveRetentionSize(config) },
    sampleLimits: { component: COMPONENT_SAMPLE_LIMIT, nodeContainers: size.nodeContainersSampleLimit, pods: size.podSampleLimit },
  };
}

/**
 * Query-engine flags sized on the memory limit: every concurrent query at its sample ceiling fits in its
 * share (sizing.ts), where the defaults (20 queries of 50M samples, 16 GB) fit no profile.
 */
export function prometheusQueryFlags(config: PrometheusConfig): string[] {
  const size = prometheusSizing(config);
  return [`query.max-concurrency=${size.queryConcurrency}`, `query.max-samples=${size.queryMaxSamples}`];
}

/** Pod discovery, which every stack job and the annotated-pods job use, cluster-wide. */
const POD_DISCOVERY: ApiAccess = { apiGroup: '', resources: ['pods'], verbs: ['get', 'list', 'watch'] };

/**
 * Prometheus's ClusterRole: pod discovery everywhere, plus what each cluster target needs, merged per API
 * group and verbs (resources sorted; non-resource URLs last).
 */
export function prometheusAccessRules(targets: readonly ClusterScrapeTarget[], extra: readonly ApiAccess[] = []): k8s.PolicyRule[] {
  const byKey = new Map<string, { apiGroup?: string; urls?: true; verbs: string[]; items: Set<string> }>();
  for (const a of [POD_DISCOVERY, ...targets.flatMap((t) => t.access), ...extra]) {
    const verbs = [...new Set<string>(a.verbs)].sort();
    // Resource rules (`r`, by API group, then verbs) sort before non-resource URLs (`u`).
    const key = 'nonResourceURLs' in a ? `u\u0000${verbs.join(',')}` : `r\u0000${a.apiGroup}\u0000${verbs.join(',')}`;
    const entry = byKey.get(key) ?? ('nonResourceURLs' in a ? { urls: true as const, verbs, items: new Set<string>() } : { apiGroup: a.apiGroup, verbs, items: new Set<string>() });
    for (const r of 'nonResourceURLs' in a ? a.nonResourceURLs : a.resources) entry.items.add(r);
    byKey.set(key, entry);
  }
  return [...byKey.keys()].sort().map((k) => {
    const e = byKey.get(k)!;
    const items = [...e.items].sort();
    return e.urls ? { nonResourceUrLs: items, verbs: e.verbs } : { apiGroups: [e.apiGroup!], resources: items, verbs: e.verbs };
  });
}

/** Prometheus's own scrape target. */
export function prometheusSelfTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return componentScrapeTarget(PROMETHEUS_IDENTITY.name, PROMETHEUS_TITLE, endpoint);
}

export class Prometheus extends Chart {
  /** The rendered `prometheus.yaml`. */
  readonly configYaml: string;
  readonly retentionSizeBytes: number;

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, endpoint, labeler } = props;
    const ns = endpoint.namespace;
    const name = PROMETHEUS_IDENTITY.name;
    const labels = labeler.labels({ ...PROMETHEUS_IDENTITY, version: props.image.tag });
    const selector = labeler.selector(name);

    const promConfig = renderPrometheusConfig({
      clusterName: props.clusterName,
      externalLabels: config.externalLabels,
      scrapeInterval: config.scrapeInterval,
      scrapeTimeout: config.scrapeTimeout,
      evaluationInterval: config.evaluationInterval,
      components: [prometheusSelfTarget(endpoint), ...props.scrapeTargets],
      nodeContainers: props.nodeContainersTarget,
      cluster: props.clusterTargets,
      annotatedPods: config.scrapeAnnotatedPods,
      ruleFilesGlob: `${PROMETHEUS_PATHS.rulesDir}/*.yaml`,
      remoteWrite: renderRemoteWrite(config.remoteWrite),
      alertmanagers: renderAlertmanagers(props.alertmanagers ?? []),
      otlpPromoteResourceAttributes: props.otlp?.promoteResourceAttributes,
      ...prometheusLimits(config),
      extraJobs: prometheusExtraJobs(config),
    });
    const secretMounts = prometheusSecretMounts(config.remoteWrite, props.alertmanagers, config.extraScrapeConfigs).map(({ volume, secretName, keys }) => ({
      volume: { name: volume, secret: { secretName, items: keys.map((key) => ({ key, path: key })), defaultMode: 0o440 } },
      mount: { name: volume, mountPath: `${PROMETHEUS_PATHS.secretsDir}/${secretName}`, readOnly: true },
    }));
    this.configYaml = toYaml(promConfig);
    const ruleFiles = props.ruleFiles ?? {};
    const retentionSize = effectiveRetentionSize(config);
    this.retentionSizeBytes = parsePromSize(retentionSize) ?? 0;

    // RBAC: pod discovery (every stack job uses role: pod), cluster-wide for annotated pods, plus what the
    // cluster targets need (node discovery and the kubelets' nodes/metrics, the API server's endpoints).
    const sa = clusterRoleServiceAccount(this, name, ns, labels, prometheusAccessRules(props.clusterTargets ?? [], extraScrapeAccess(config.extraScrapeConfigs)));

    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: meta(name, ns, labels),
      data: { [PROMETHEUS_PATHS.configFile]: this.configYaml },
    });
    const rulesMap = new k8s.KubeConfigMap(this, 'Rules', {
      metadata: meta(`${name}-rules`, ns, labels),
      data: { ...ruleFiles },
    });

    new k8s.KubeService(this, 'Service', serviceProps([endpoint], labels, selector));

    dataStatefulSet(this, 'StatefulSet', {
      name, namespace: ns, labels, selector, replicas: 1, serviceName: endpoint.service, storage: config.storage, common,
      template: (dataVolumes) => ({
        metadata: { labels },
        spec: {
          ...commonPodSpec(common, { serviceAccountName: sa.name, automountToken: true }),
          securityContext: restrictedPodSecurity(PROMETHEUS_UID),
          // Time to finish writing the head block and close the WAL cleanly.
          terminationGracePeriodSeconds: 120,
          containers: [{
            name,
            image: imageRef(props.image, common),
            imagePullPolicy: 'IfNotPresent',
            args: [
              `--config.file=${PROMETHEUS_PATHS.configDir}/${PROMETHEUS_PATHS.configFile}`,
              `--storage.tsdb.path=${PROMETHEUS_PATHS.dataDir}`,
              // Retention is in the config file (storage.tsdb.retention); the flags are deprecated in 3.14.
              `--web.listen-address=:${endpoint.port}`,
              ...prometheusQueryFlags(config).map((f) => `--${f}`),
              ...prometheusFeatureFlags(props.otlp !== undefined).map((f) => `--${f}`),
            ],
            // Prometheus 3 sets GOMEMLIMIT from the container's memory limit by itself (auto-gomemlimit).
            ports: [containerPort(endpoint)],
            resources: resources(config.resources),
            securityContext: RESTRICTED_CONTAINER_SECURITY,
            startupProbe: startupProbe('/-/ready', endpoint.portName, 900),
            readinessProbe: httpProbe('/-/ready', endpoint.portName, { periodSeconds: 5, failureThreshold: 3 }),
            livenessProbe: httpProbe('/-/healthy', endpoint.portName, { periodSeconds: 15, failureThreshold: 4 }),
            volumeMounts: [
              { name: 'config', mountPath: PROMETHEUS_PATHS.configDir, readOnly: true },
              { name: 'rules', mountPath: PROMETHEUS_PATHS.rulesDir, readOnly: true },
              { name: DATA_VOLUME, mountPath: PROMETHEUS_PATHS.dataDir },
              ...secretMounts.map((m) => m.mount),
            ],
          }],
          volumes: [
            { name: 'config', configMap: { name: configMap.name } },
            { name: 'rules', configMap: { name: rulesMap.name } },
            ...dataVolumes,
            ...secretMounts.map((m) => m.volume),
          ],
        },
      }),
    });
  }
}
