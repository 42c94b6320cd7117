/**
 * The prometheus chart's `alertmanager` subchart (prometheus-community/alertmanager 1.42.0, Alertmanager
 * v0.34.0, vendored in prometheus 29.27.0) with the manifests' configuration (#19):
 * - `config` is `renderAlertmanagerConfig` (the chart writes it verbatim with toYaml, no `tpl`, as
 *   `/etc/alertmanager/alertmanager.yml`); `templates` are the same template files, which the chart puts in
 *   that ConfigMap too, so the template glob is `/etc/alertmanager/*.tmpl` here;
 * - receiver Secrets through `extraSecretMounts` at the manifests' paths;
 * - peers: the chart adds `--cluster.*` flags and the `clusterpeer-*` ports itself when `replicaCount` > 1;
 *   one replica turns the listener off (`--cluster.listen-address=`) as the manifests do;
 * - a PodDisruptionBudget (`maxUnavailable: 1`) only with more than one replica, like the manifests' root.
 */
import { ALERTMANAGER_PATHS, alertmanagerTemplateFiles, receiverSecrets, renderAlertmanagerConfig, type AlertmanagerConfigFile } from '../../../components/alertmanager/alertmanager-config';
import { alertmanagerEnabled } from '../../../components/alertmanager';
import type { StackConfig } from '../../../config/types';
import { RESTRICTED_CONTAINER_SECURITY, goMemLimitEnv, restrictedPodSecurity } from '../../../lib/kube';
import {
  type ContainerSecurityContextValues, type ImageValues, type PodSecurityContextValues, type ResourcesValues, imageValues, resourcesValues,
} from './common';

/** Where the subchart mounts its ConfigMap (config and templates side by side). */
export const ALERTMANAGER_CHART_CONFIG_DIR = '/etc/alertmanager';

/** The uid/gid of the upstream image (`nobody`). */
const ALERTMANAGER_UID = 65534;

export type AlertmanagerSubchartValues = { readonly enabled: false } | {
  readonly enabled: true;
  readonly replicaCount: number;
  readonly image: ImageValues;
  readonly imagePullSecrets: ReadonlyArray<{ readonly name: string }>;
  readonly priorityClassName?: string;
  readonly automountServiceAccountToken: boolean;
  readonly podSecurityContext: PodSecurityContextValues;
  readonly securityContext: ContainerSecurityContextValues;
  readonly resources: ResourcesValues;
  readonly extraEnv: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  readonly extraArgs: Readonly<Record<string, string>>;
  readonly livenessProbe: { readonly httpGet: { readonly path: string; readonly port: string } };
  readonly readinessProbe: { readonly httpGet: { readonly path: string; readonly port: string } };
  readonly persistence: { readonly enabled: boolean; readonly size: string; readonly accessModes: readonly string[]; readonly storageClass?: string };
  readonly podDisruptionBudget: { readonly maxUnavailable?: number };
  readonly podAntiAffinity: '' | 'soft';
  readonly service: { readonly port: number; readonly clusterPort: number };
  readonly extraSecretMounts: ReadonlyArray<{ readonly name: string; readonly mountPath: string; readonly secretName: string; readonly readOnly: true }>;
  readonly config: AlertmanagerConfigFile & { readonly enabled: true };
  readonly templates: Readonly<Record<string, string>>;
};

export function alertmanagerSubchartValues(cfg: StackConfig): AlertmanagerSubchartValues {
  if (!alertmanagerEnabled(cfg)) return { enabled: false };
  const a = cfg.alertmanager;
  const { common } = cfg;
  const storageClass = a.storage.storageClassName ?? common.storageClassName;
  return {
    enabled: true,
    replicaCount: a.replicas,
    image: imageValues(a.image, common),
    imagePullSecrets: common.imagePullSecrets.map((name) => ({ name })),
    ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
    automountServiceAccountToken: false,
    podSecurityContext: restrictedPodSecurity(ALERTMANAGER_UID) as PodSecurityContextValues,
    securityContext: { ...RESTRICTED_CONTAINER_SECURITY, capabilities: { drop: ['ALL'] } },
    resources: resourcesValues(a.resources),
    extraEnv: [goMemLimitEnv(a.resources) as { name: string; value: string }],
    extraArgs: {
      'data.retention': a.retention,
      ...(a.replicas > 1 ? {} : { 'cluster.listen-address': '' }),
    },
    livenessProbe: { httpGet: { path: '/-/healthy', port: 'http' } },
    readinessProbe: { httpGet: { path: '/-/ready', port: 'http' } },
    persistence: {
      enabled: a.storage.persistent,
      size: a.storage.size,
      accessModes: ['ReadWriteOnce'],
      ...(storageClass !== undefined ? { storageClass } : {}),
    },
    podDisruptionBudget: a.replicas > 1 ? { maxUnavailable: 1 } : {},
    podAntiAffinity: a.replicas > 1 ? 'soft' : '',
    service: { port: a.ports.http, clusterPort: a.ports.cluster },
    extraSecretMounts: [...receiverSecrets(a.receivers)].map(([secretName], i) => ({
      name: `receivers-${i}`, mountPath: `${ALERTMANAGER_PATHS.secretsDir}/${secretName}`, secretName, readOnly: true as const,
    })),
    config: { enabled: true, ...renderAlertmanagerConfig({ config: a, templatesDir: ALERTMANAGER_CHART_CONFIG_DIR }) },
    templates: alertmanagerTemplateFiles(a),
  };
}
