/**
 * Grafana Alloy as the log agent (`logAgent: 'alloy'`): Promtail's maintained successor, running the same
 * pipeline (rendered by `alloy-config.ts` from the shared model) with the same host access, RBAC and
 * positions persistence, as a DaemonSet in the agents namespace.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, ImageSpec, LogAgentSpec } from '../../config/types';
import type { Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import {
  CONFIG_CHECKSUM_ANNOTATION, commonPodSpec, configChecksum, containerPort, httpProbe, imageRef, meta, resources, scratchVolume, serviceProps,
} from '../../lib/kube';
import { agentHostMounts, agentNodeEnv, agentPodRbacRules, agentSecurity, agentStateHostPath } from '../log-pipeline/agent-pod';
import type { LogPipeline } from '../log-pipeline/log-pipeline';
import type { ComponentScrapeTarget } from '../prometheus/prometheus-config';
import { renderAlloyConfig } from './alloy-config';

export const ALLOY_IDENTITY = { name: 'alloy', component: 'log-agent' } as const;

export const ALLOY_PATHS = {
  configDir: '/etc/alloy',
  configFile: 'config.alloy',
  /** `--storage.path`: components' state, loki.source.file's positions included; a hostPath. */
  storageDir: '/var/lib/alloy/data',
} as const;

export interface AlloyProps {
  readonly config: LogAgentSpec;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly endpoint: Endpoint;
  readonly pipeline: LogPipeline;
}

export function alloyScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return { job: 'alloy', namespace: endpoint.namespace, appName: ALLOY_IDENTITY.name, portName: endpoint.portName, metricsPath: '/metrics' };
}

/** Alloy's command line (the image's entrypoint is the `alloy` binary). */
export function alloyArgs(port: number): string[] {
  return [
    'run',
    `${ALLOY_PATHS.configDir}/${ALLOY_PATHS.configFile}`,
    `--storage.path=${ALLOY_PATHS.storageDir}`,
    `--server.http.listen-addr=0.0.0.0:${port}`,
    // No usage reports leave the cluster.
    '--disable-reporting',
  ];
}

export class Alloy extends Chart {
  readonly configText: string;

  constructor(scope: Construct, id: string, props: AlloyProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, endpoint, labeler, pipeline } = props;
    const ns = endpoint.namespace;
    const name = ALLOY_IDENTITY.name;
    const labels = labeler.labels({ ...ALLOY_IDENTITY, version: props.image.tag });
    const selector = labeler.selector(name);

    this.configText = renderAlloyConfig({ pipeline });

    const sa = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: meta(name, ns, labels),
      automountServiceAccountToken: false,
    });
    const clusterRoleName = `${ns}-${name}`;
    new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name: clusterRoleName, labels }, rules: agentPodRbacRules() });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name: clusterRoleName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRoleName },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: ns }],
    });
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: meta(name, ns, labels),
      data: { [ALLOY_PATHS.configFile]: this.configText },
    });
    new k8s.KubeService(this, 'Service', serviceProps([endpoint], labels, selector));

    const host = agentHostMounts(pipeline, agentStateHostPath(ns, name), ALLOY_PATHS.storageDir);

    new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: meta(name, ns, labels),
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels, annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(this.configText) } },
          spec: {
            // The agent calls the API server (pod discovery), so it gets its token.
            ...commonPodSpec(common, { serviceAccountName: sa.name, automountToken: true }),
            tolerations: [{ operator: 'Exists' }],
            securityContext: agentSecurity.pod,
            terminationGracePeriodSeconds: 30,
            containers: [{
              name,
              image: imageRef(props.image, common),
              imagePullPolicy: 'IfNotPresent',
              args: alloyArgs(endpoint.port),
              env: agentNodeEnv(pipeline),
              ports: [containerPort(endpoint)],
              resources: resources(config.resources),
              securityContext: agentSecurity.container,
              readinessProbe: httpProbe('/-/ready', endpoint.portName, { periodSeconds: 10 }),
              livenessProbe: httpProbe('/-/ready', endpoint.portName, { initialDelaySeconds: 10, periodSeconds: 30, failureThreshold: 5 }),
              volumeMounts: [
                { name: 'config', mountPath: ALLOY_PATHS.configDir, readOnly: true },
                ...host.volumeMounts,
                { name: 'tmp', mountPath: '/tmp' },
              ],
            }],
            volumes: [
              { name: 'config', configMap: { name: configMap.name } },
              ...host.volumes,
              scratchVolume('tmp'),
            ],
          },
        },
      },
    });
  }
}
