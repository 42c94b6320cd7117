/**
 * The OTLP gateway on the Helm path: a second release of grafana/alloy 1.11.1 (release `otlp-gateway`) as
 * a Deployment, running the manifests' gateway configuration (`renderGatewayConfig`) with the Helm
 * installation's endpoints.
 *
 * Chart facts (ref helm-chart/1.11.1):
 * - `nameOverride` and `fullnameOverride` give the pods the manifests' `app.kubernetes.io/name` and the
 *   Service the manifests' name (templates/_helpers.tpl `alloy.name`, `alloy.fullname`).
 * - `controller.type: deployment` (templates/controllers/deployment.yaml) with `controller.replicas`,
 *   `updateStrategy`, `affinity`, `topologySpreadConstraints`, `terminationGracePeriodSeconds`; a
 *   PodDisruptionBudget from `controller.podDisruptionBudget` with more than one replica, as the manifests.
 * - The OTLP ports are `alloy.extraPorts` (container ports and Service ports, templates/containers/_agent.yaml
 *   and templates/service.yaml); the listen port is the chart's `http-metrics`.
 * - No RBAC and no API token: the gateway never calls the Kubernetes API (`rbac.create: false`,
 *   `serviceAccount.automountServiceAccountToken: false`).
 * - `--storage.path` on a size-capped emptyDir (`alloy.mounts.extra`, `controller.volumes.extra`); the
 *   readiness probe is the chart's (/-/ready on the listen port) with the manifests' delay and timeout,
 *   the liveness probe the manifests'. The config reloader stays off, so the pods roll on a config change
 *   (`checksum/config`, templates/controllers/_pod.yaml). The chart sets no `GOMEMLIMIT`: `alloy.extraEnv` does.
 */
import { ALLOY_PATHS } from '../alloy/alloy';
import { OTLP_GATEWAY_IDENTITY } from './gateway';
import { gatewayDestinations, renderGatewayConfig } from './gateway-config';
import type { StackConfig } from '../../config/types';
import type { Endpoints } from '../registry';
import { spreadReplicas } from '../../lib/kube';
import type { WireLog } from '../../lib/wiring';
import { type ManifestsPod, containerSecurityOf, emptyDirLimit, gracePeriodOf, podSecurityOf, probeOf } from '../../lib/manifests-pods';
import type { HelmReleases } from '../../lib/helm';
import {
  type ContainerSecurityContextValues, type PodPlacementValues, type PodSecurityContextValues, goMemLimitEnvValues, podPlacementValues, registryImageValues, resourcesValues, tplEscape,
} from '../../lib/helm-values';
import type { AlloyChartValues } from '../alloy/helm-values';

export interface OtlpGatewayChartValues {
  readonly nameOverride: string;
  readonly fullnameOverride: string;
  readonly image: AlloyChartValues['image'];
  /** The log agent's settings of the same chart, without its host mounts; plus the OTLP ports. */
  readonly alloy: Pick<AlloyChartValues['alloy'],
    'configMap' | 'listenPort' | 'storagePath' | 'enableReporting' | 'extraEnv' | 'resources' | 'securityContext' | 'livenessProbe' | 'initialDelaySeconds' | 'timeoutSeconds'> & {
    readonly extraPorts: ReadonlyArray<{ readonly name: string; readonly port: number; readonly targetPort: number; readonly protocol: 'TCP' }>;
    readonly mounts: { readonly varlog: false; readonly dockercontainers: false; readonly extra: ReadonlyArray<{ readonly name: string; readonly mountPath: string }> };
  };
  readonly global: { readonly podSecurityContext: PodSecurityContextValues };
  readonly configReloader: { readonly enabled: false };
  readonly controller: PodPlacementValues & {
    readonly type: 'deployment';
    readonly replicas: number;
    readonly updateStrategy: object;
    readonly terminationGracePeriodSeconds: number;
    readonly priorityClassName?: string;
    readonly topologySpreadConstraints?: readonly object[];
    readonly podDisruptionBudget: { readonly enabled: boolean; readonly maxUnavailable?: number };
    readonly volumes: { readonly extra: ReadonlyArray<{ readonly name: string; readonly emptyDir: { readonly sizeLimit: string } }> };
  };
  readonly service: { readonly enabled: true };
  readonly serviceAccount: { readonly create: true; readonly automountServiceAccountToken: false };
  readonly rbac: { readonly create: false };
  readonly crds: { readonly create: false };
}

export interface OtlpGatewayValuesInput {
  readonly cfg: StackConfig;
  /** Endpoints of the Helm installation. */
  readonly endpoints: Endpoints;
  readonly wires: WireLog;
  readonly releases: HelmReleases;
  /** The manifests' gateway pod (probes, security, grace period, scratch size). */
  readonly pod: ManifestsPod;
}

/** The gateway configuration the Helm installation runs: the manifests' renderer with the charts' Services. */
export function helmGatewayConfig(input: Omit<OtlpGatewayValuesInput, 'pod' | 'releases'>): string {
  const { cfg, endpoints, wires } = input;
  return renderGatewayConfig({
    config: cfg.otlpGateway, grpcPort: endpoints.otlpGateway.grpc.port, httpPort: endpoints.otlpGateway.http.port,
    ...gatewayDestinations(cfg, endpoints, (...w) => wires.connect(...w)),
  });
}

export function otlpGatewayValues(input: OtlpGatewayValuesInput): OtlpGatewayChartValues {
  const { cfg, endpoints, pod } = input;
  const g = cfg.otlpGateway;
  const { common } = cfg;
  const { registry, repository, tag, pullPolicy } = registryImageValues(g.image, common);
  const readiness = probeOf(pod, 'readinessProbe');
  const name = OTLP_GATEWAY_IDENTITY.name;
  const spread = spreadReplicas(g.replicas, { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': input.releases['otlp-gateway'] });
  const gw = endpoints.otlpGateway;
  return {
    nameOverride: name,
    fullnameOverride: name,
    image: { registry, repository, tag, pullPolicy, pullSecrets: common.imagePullSecrets.map((n) => ({ name: n })) },
    alloy: {
      configMap: { create: true, content: tplEscape(helmGatewayConfig(input)) },
      listenPort: gw.metrics.port,
      storagePath: ALLOY_PATHS.storageDir,
      // No usage reports leave the cluster (--disable-reporting, as in the manifests).
      enableReporting: false,
      extraPorts: [gw.grpc, gw.http].map((e) => ({ name: e.portName, port: e.port, targetPort: e.port, protocol: 'TCP' as const })),
      extraEnv: [goMemLimitEnvValues(g.resources)],
      mounts: { varlog: false, dockercontainers: false, extra: [{ name: 'storage', mountPath: ALLOY_PATHS.storageDir }] },
      resources: resourcesValues(g.resources),
      securityContext: containerSecurityOf(pod) as ContainerSecurityContextValues,
      livenessProbe: probeOf(pod, 'livenessProbe'),
      initialDelaySeconds: readiness.initialDelaySeconds,
      timeoutSeconds: readiness.timeoutSeconds,
    },
    global: { podSecurityContext: podSecurityOf(pod) as PodSecurityContextValues },
    configReloader: { enabled: false },
    controller: {
      type: 'deployment',
      replicas: g.replicas,
      // A new pod is ready before an old one goes, as in the manifests.
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      terminationGracePeriodSeconds: gracePeriodOf(pod),
      ...(common.priorityClassName !== undefined ? { priorityClassName: common.priorityClassName } : {}),
      // The stack's spreading, then the user's `otlpGateway.pods` and `common.annotations`, as in the manifests.
      ...podPlacementValues(g.pods, common, spread.affinity ? { affinity: spread.affinity } : {}),
      ...(spread.topologySpreadConstraints ? { topologySpreadConstraints: spread.topologySpreadConstraints } : {}),
      podDisruptionBudget: g.replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
      volumes: { extra: [{ name: 'storage', emptyDir: { sizeLimit: emptyDirLimit(pod, ALLOY_PATHS.storageDir) } }] },
    },
    service: { enabled: true },
    serviceAccount: { create: true, automountServiceAccountToken: false },
    rbac: { create: false },
    crds: { create: false },
  };
}
