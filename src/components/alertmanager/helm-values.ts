/**
 * The prometheus chart's `alertmanager` subchart (prometheus-community/alertmanager 1.42.0, app v0.34.0,
 * vendored in prometheus 29.27.0) as the manifests run the stack's Alertmanager:
 * - `config` is `renderAlertmanagerConfig` (templates/configmap.yaml writes it with toYaml, no `tpl`, as
 *   `/etc/alertmanager/alertmanager.yml`); `templates` are the same template files, which the chart puts in
 *   that ConfigMap too, so the template glob is `/etc/alertmanager/*.tmpl` here. Helm merges `config` into
 *   the chart's default (a `default-receiver` route with its own waits): lists replace, and a route key the
 *   stack leaves unset is written as null, which removes the chart's.
 * - Receiver Secrets through `extraSecretMounts` at the manifests' paths (each Secret whole, read-only).
 * - Peers: the chart adds `--cluster.*` flags, the `clusterpeer-*` ports and the headless Service's
 *   cluster ports itself when `replicaCount` > 1; one replica turns the gossip listener off
 *   (`--cluster.listen-address=`) as the manifests do.
 * - Pod facts from the manifests' StatefulSet (`manifestsPod`): security contexts, probes (numeric port),
 *   the data emptyDir's size; the manifests' spreading with the chart's pod labels, and a
 *   PodDisruptionBudget with more than one replica, like the manifests' root pass.
 * - The config-reloader sidecar stays off (values default): templates/statefulset.yaml then puts a
 *   `checksum/config` of the ConfigMap on the pods, so a change rolls them, as in the manifests.
 */
import { alertmanagerTemplateFiles, renderAlertmanagerConfig, type AlertmanagerConfigFile } from './alertmanager-config';
import { alertmanagerDeployed } from './config';
import { receiverSecretVolumes } from './alertmanager';
import type { StackConfig } from '../../config/types';
import { DATA_VOLUME, goMemLimitEnv, spreadReplicas } from '../../lib/kube';
import type { HelmReleases } from '../../lib/helm';
import { alertmanagerPodLabels } from './helm';
import { type ManifestsPod, type ProbeValues, containerSecurityOf, podSecurityOf, probeOf } from '../../lib/manifests-pods';
import {
  type ContainerSecurityContextValues, type ImageValues, type PodPlacementValues, type PodSecurityContextValues, type ResourcesValues, imageValues,
  podPlacementValues, resourcesValues,
} from '../../lib/helm-values';

/** Where the subchart mounts its ConfigMap: the config file and the template files side by side. */
export const ALERTMANAGER_CHART_CONFIG_DIR = '/etc/alertmanager';

/** Keys of the chart's default `config.route`, written as null when the stack's route leaves them out. */
const CHART_DEFAULT_ROUTE_KEYS = ['group_wait', 'group_interval', 'repeat_interval'] as const;

export type AlertmanagerSubchartValues = { readonly enabled: false } | (PodPlacementValues & {
  readonly enabled: true;
  readonly replicaCount: number;
  readonly image: ImageValues;
  readonly imagePullSecrets: ReadonlyArray<{ readonly name: string }>;
  readonly priorityClassName?: string;
  readonly automountServiceAccountToken: false;
  readonly podSecurityContext: PodSecurityContextValues;
  /** The manifests' container securityContext; the chart's default user and group keys removed (null). */
  readonly securityContext: ContainerSecurityContextValues & { readonly runAsUser: null; readonly runAsGroup: null };
  readonly resources: ResourcesValues;
  readonly extraEnv: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly extraArgs: Readonly<Record<string, string>>;
  readonly livenessProbe: ProbeValues;
  readonly readinessProbe: ProbeValues;
  readonly persistence: {
    readonly enabled: boolean; readonly size: string; readonly accessModes: readonly string[]; readonly storageClass?: string;
    readonly emptyDir?: { readonly sizeLimit: string };
  };
  readonly podDisruptionBudget: Readonly<Record<string, unknown>>;
  readonly podAntiAffinity: '';
  readonly topologySpreadConstraints?: readonly object[];
  readonly service: { readonly port: number; readonly clusterPort: number };
  readonly extraSecretMounts: ReadonlyArray<{ readonly name: string; readonly mountPath: string; readonly secretName: string; readonly readOnly: true }>;
  readonly config: AlertmanagerConfigFile & { readonly enabled: true; readonly route: Record<string, unknown> };
  readonly templates: Readonly<Record<string, string>>;
});

export function alertmanagerSubchartValues(cfg: StackConfig, releases: HelmReleases, pod: ManifestsPod | undefined): AlertmanagerSubchartValues {
  if (!alertmanagerDeployed(cfg) || pod === undefined) return { enabled: false };
  const a = cfg.alertmanager;
  const { common } = cfg;
  const storageClass = a.storage.storageClassName ?? common.storageClassName;
  const dataVolume = (pod.spec.volumes ?? []).find((v: { name: string }) => v.name === DATA_VOLUME);
  const selector = alertmanagerPodLabels(releases);
  const spread = spreadReplicas(a.replicas, selector);
  const config = renderAlertmanagerConfig({ config: a, templatesDir: ALERTMANAGER_CHART_CONFIG_DIR });
  const route: Record<string, unknown> = { ...Object.fromEntries(CHART_DEFAULT_ROUTE_KEYS.map((k) => [k, null])), ...config.route };
  return {
    enabled: true,
    replicaCount: a.replicas,
    image: imageValues(a.image, common),
    imagePullSecrets: common.imagePullSecrets.map((name) => ({ name })),
    ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
    automountServiceAccountToken: false,
    podSecurityContext: podSecurityOf(pod) as PodSecurityContextValues,
    // Helm merges maps into the chart's default (runAsUser, runAsGroup 65534): null removes what the manifests leave to the pod.
    securityContext: { runAsUser: null, runAsGroup: null, ...(containerSecurityOf(pod) as ContainerSecurityContextValues) },
    resources: resourcesValues(a.resources),
    extraEnv: [goMemLimitEnv(a.resources) as { name: string; value: string }],
    extraArgs: {
      'data.retention': a.retention,
      // One replica: no gossip listener (the chart only configures one for more).
      ...(a.replicas > 1 ? {} : { 'cluster.listen-address': '' }),
    },
    livenessProbe: probeOf(pod, 'livenessProbe'),
    readinessProbe: probeOf(pod, 'readinessProbe'),
    persistence: {
      enabled: a.storage.persistent,
      size: a.storage.size,
      accessModes: ['ReadWriteOnce'],
      ...(storageClass !== undefined ? { storageClass } : {}),
      ...(dataVolume?.emptyDir?.sizeLimit !== undefined ? { emptyDir: { sizeLimit: dataVolume.emptyDir.sizeLimit } } : {}),
    },
    // As the manifests' budget (src/lib/kube.ts addDisruptionBudgets): only with more than one replica.
    podDisruptionBudget: a.replicas > 1 ? { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' } : {},
    podAntiAffinity: '',
    // The stack's spreading, then the user's `alertmanager.pods` and `common.annotations`, as in the manifests.
    ...podPlacementValues(a.pods, common, spread.affinity ? { affinity: spread.affinity } : {}),
    ...(spread.topologySpreadConstraints ? { topologySpreadConstraints: spread.topologySpreadConstraints } : {}),
    service: { port: a.ports.http, clusterPort: a.ports.cluster },
    extraSecretMounts: receiverSecretVolumes(a).map(({ volume, mount }) => ({
      name: volume.name, mountPath: mount.mountPath, secretName: volume.secret!.secretName!, readOnly: true as const,
    })),
    config: { enabled: true, ...config, route },
    templates: alertmanagerTemplateFiles(a),
  };
}
