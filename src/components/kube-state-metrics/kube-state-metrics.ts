/**
 * kube-state-metrics: the state of the cluster's objects (nodes, pods, workloads, volumes) as metrics, one
 * replica in the main namespace. Flags and metric families as kube-state-metrics v2.20.0 defines them
 * (pkg/options, internal/store). It meets the `restricted` Pod Security level: uid 65534, read-only root,
 * no capabilities.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import { type Labeler, SERVICE_SOURCE_POD_LABELS } from '../../lib/labels';
import {
  RESTRICTED_CONTAINER_SECURITY, clusterRoleServiceAccount, commonPodSpec, containerPort, goMemLimitEnv, httpProbe, imageRef, meta,
  resources, restrictedPodSecurity, serviceProps,
} from '../../lib/kube';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import type { KubeStateMetricsConfig } from './config';

export const KUBE_STATE_METRICS_IDENTITY = { name: 'kube-state-metrics', component: 'cluster-state-metrics' } as const;

/** The image's user (`nobody`), as the upstream manifests run it. */
const KUBE_STATE_METRICS_UID = 65534;

/**
 * `--resources`: the object kinds the cluster dashboards and alerts read, each with the API group its
 * read-only RBAC names (kube-state-metrics lists and watches them). Nothing else is collected.
 */
export const KUBE_STATE_METRICS_RESOURCES: ReadonlyArray<{ readonly resource: string; readonly apiGroup: string }> = [
  { resource: 'daemonsets', apiGroup: 'apps' },
  { resource: 'deployments', apiGroup: 'apps' },
  { resource: 'jobs', apiGroup: 'batch' },
  { resource: 'nodes', apiGroup: '' },
  { resource: 'persistentvolumeclaims', apiGroup: '' },
  { resource: 'persistentvolumes', apiGroup: '' },
  { resource: 'pods', apiGroup: '' },
  { resource: 'replicasets', apiGroup: 'apps' },
  { resource: 'statefulsets', apiGroup: 'apps' },
];

/**
 * `--metric-labels-allowlist`: the pod labels the shared `service` label comes from (`app.kubernetes.io/name`,
 * then `app`), so `kube_pod_labels` ties a pod to its service on the Workloads dashboard. No annotations are
 * exposed (`--metric-annotations-allowlist` stays unset): no dashboard reads one.
 */
export function kubeStateMetricsLabelsAllowlist(): string {
  return `pods=[${SERVICE_SOURCE_POD_LABELS.join(',')}]`;
}

/** Read-only RBAC on exactly the collected resources: list and watch, grouped by API group. */
export function kubeStateMetricsRbac(): k8s.PolicyRule[] {
  const groups = [...new Set(KUBE_STATE_METRICS_RESOURCES.map((r) => r.apiGroup))].sort();
  return groups.map((g) => ({
    apiGroups: [g],
    resources: KUBE_STATE_METRICS_RESOURCES.filter((r) => r.apiGroup === g).map((r) => r.resource).sort(),
    verbs: ['list', 'watch'],
  }));
}

export function kubeStateMetricsArgs(config: KubeStateMetricsConfig): string[] {
  return [
    `--port=${config.port}`,
    `--telemetry-port=${config.telemetryPort}`,
    `--resources=${KUBE_STATE_METRICS_RESOURCES.map((r) => r.resource).sort().join(',')}`,
    `--metric-labels-allowlist=${kubeStateMetricsLabelsAllowlist()}`,
  ];
}

/** The series carry the objects' own namespace and pod labels: the scraped pod's must not overwrite them. */
export function kubeStateMetricsScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return { ...componentScrapeTarget(KUBE_STATE_METRICS_IDENTITY.name, 'kube-state-metrics', endpoint), targetLabels: 'none' };
}

export interface KubeStateMetricsProps {
  readonly config: KubeStateMetricsConfig;
  readonly common: CommonConfig;
  readonly labeler: Labeler;
  readonly endpoint: Endpoint;
  readonly telemetry: Endpoint;
}

export class KubeStateMetrics extends Chart {
  constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, endpoint, telemetry, labeler } = props;
    const ns = endpoint.namespace;
    const name = KUBE_STATE_METRICS_IDENTITY.name;
    const labels = labeler.labels({ ...KUBE_STATE_METRICS_IDENTITY, version: config.image.tag });
    const selector = labeler.selector(name);

    const sa = clusterRoleServiceAccount(this, name, ns, labels, kubeStateMetricsRbac());
    new k8s.KubeService(this, 'Service', serviceProps([endpoint, telemetry], labels, selector));

    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta(name, ns, labels),
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels },
          spec: {
            ...commonPodSpec(common, { serviceAccountName: sa.name, automountToken: true }),
            securityContext: restrictedPodSecurity(KUBE_STATE_METRICS_UID),
            terminationGracePeriodSeconds: 30,
            containers: [{
              name,
              image: imageRef(config.image, common),
              imagePullPolicy: 'IfNotPresent',
              args: kubeStateMetricsArgs(config),
              env: [goMemLimitEnv(config.resources)],
              ports: [containerPort(endpoint), containerPort(telemetry)],
              resources: resources(config.resources),
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              // /healthz answers while the process serves; /readyz once the metric stores are filled.
              livenessProbe: httpProbe('/healthz', endpoint.portName, { initialDelaySeconds: 5, periodSeconds: 30 }),
              readinessProbe: httpProbe('/readyz', telemetry.portName, { periodSeconds: 10 }),
            }],
          },
        },
      },
    });
  }
}
