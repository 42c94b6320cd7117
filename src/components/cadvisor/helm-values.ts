/**
 * Values for ckotzbauer/cadvisor 2.4.3: the pinned cAdvisor image (the chart defaults to an older
 * gcr.io image) with the manifests' flags (`cadvisorArgs`), host mounts and resources.
 *
 * Chart limits (templates/daemonset.yaml): the container securityContext can only carry `privileged`
 * (`podSecurityContext.create`/`.privileged`), so the manifests' extra hardening (no privilege escalation,
 * read-only root, dropped capabilities, RuntimeDefault seccomp) cannot be expressed; the pod runs as the
 * image's user (root), like the manifests. The Service is named `cadvisor` whatever the release name.
 * The container takes no env at all (no `env`/`extraEnv` value in the template), so cAdvisor runs without
 * the manifests' `GOMEMLIMIT` (`goMemLimitEnv`, 90% of the limit); the README says so.
 */
import { CADVISOR_HOST_MOUNTS, cadvisorArgs } from './cadvisor';
import type { StackConfig } from '../../config/types';
import type { Endpoints } from '../registry';
import { type ImageValues, type PodPlacementValues, type ResourcesValues, imageValues, podPlacementValues, resourcesValues } from '../../lib/helm-values';

export interface CadvisorHostPath {
  readonly name: string;
  readonly path: string;
  /** Mount path in the container. @default - `path` */
  readonly mount?: string;
  readonly readOnly: boolean;
}

export interface CadvisorChartValues extends PodPlacementValues {
  readonly image: ImageValues & { readonly pullSecrets: readonly string[] };
  readonly container: {
    readonly port: number;
    readonly additionalArgs: readonly string[];
    readonly hostPaths: readonly CadvisorHostPath[];
  };
  readonly resources: ResourcesValues;
  readonly podSecurityContext: { readonly create: boolean; readonly privileged: boolean };
  /** null removes the chart's default, a pre-1.19 seccomp annotation on the DaemonSet object that does nothing. */
  readonly daemonsetAnnotations: Readonly<Record<string, string>> | null;
  readonly priorityClassName?: string;
  readonly commonLabels: Readonly<Record<string, string>>;
  readonly serviceAccount: { readonly create: boolean };
  readonly metrics: { readonly enabled: boolean };
}

export interface CadvisorValuesInput {
  readonly cfg: StackConfig;
  readonly endpoints: Endpoints;
}

export function cadvisorValues({ cfg, endpoints }: CadvisorValuesInput): CadvisorChartValues {
  const c = cfg.cadvisor;
  // The chart uses `container.port` for the container and the Service alike.
  const port = endpoints.cadvisor.http.port;
  return {
    image: { ...imageValues(cfg.cadvisor.image, cfg.common), pullSecrets: [...cfg.common.imagePullSecrets] },
    container: {
      port,
      additionalArgs: cadvisorArgs(c, port),
      hostPaths: [
        ...CADVISOR_HOST_MOUNTS.map((m) => ({ name: m.name, path: m.hostPath, mount: m.mountPath, readOnly: true })),
        // /dev/kmsg for OOM events, only when privileged (as in the manifests).
        ...(c.privileged ? [{ name: 'kmsg', path: '/dev/kmsg', readOnly: true }] : []),
      ],
    },
    resources: resourcesValues(c.resources),
    podSecurityContext: { create: true, privileged: c.privileged },
    daemonsetAnnotations: null,
    // Every node, control plane and tainted pools included.
    ...podPlacementValues(c.pods, cfg.common, { tolerations: [{ operator: 'Exists' }] }),
    ...(cfg.common.priorityClassName !== undefined ? { priorityClassName: cfg.common.priorityClassName } : {}),
    commonLabels: { ...cfg.common.labels },
    serviceAccount: { create: true },
    metrics: { enabled: false },
  };
}
