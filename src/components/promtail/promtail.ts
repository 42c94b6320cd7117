/**
 * Promtail: the log agent the design started with. End of life since 2026-03-02 (3.6.x is the last
 * line); Grafana Alloy (`logAgent: 'alloy'`) is the maintained successor and renders the same pipeline.
 * A DaemonSet in the agents namespace tails `/var/log/pods` on its own node and pushes to Loki.
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
import { toYaml } from '../../lib/yaml';
import type { LogPipeline } from '../log-pipeline/log-pipeline';
import type { ComponentScrapeTarget } from '../prometheus/prometheus-config';
import { renderPromtailConfig } from './promtail-config';
import { agentHostMounts, agentNodeEnv, agentPodRbacRules, agentSecurity, agentStateHostPath } from '../log-pipeline/agent-pod';

export const PROMTAIL_IDENTITY = { name: 'promtail', component: 'log-agent' } as const;

export const PROMTAIL_PATHS = {
  configDir: '/etc/promtail',
  configFile: 'promtail.yaml',
  /** Mount of the hostPath that keeps the positions file across restarts. */
  stateDir: '/var/lib/promtail',
  positionsFile: 'positions.yaml',
} as const;

export interface PromtailProps {
  readonly config: LogAgentSpec;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  readonly endpoint: Endpoint;
  readonly pipeline: LogPipeline;
}

export function promtailScrapeTarget(endpoint: Endpoint): ComponentScrapeTarget {
  return { job: 'promtail', namespace: endpoint.namespace, appName: PROMTAIL_IDENTITY.name, portName: endpoint.portName, metricsPath: '/metrics' };
}

export class Promtail extends Chart {
  readonly configYaml: string;

  constructor(scope: Construct, id: string, props: PromtailProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, endpoint, labeler, pipeline } = props;
    const ns = endpoint.namespace;
    const name = PROMTAIL_IDENTITY.name;
    const labels = labeler.labels({ ...PROMTAIL_IDENTITY, version: props.image.tag });
    const selector = labeler.selector(name);

    this.configYaml = toYaml(renderPromtailConfig({
      pipeline,
      httpPort: endpoint.port,
      positionsFile: `${PROMTAIL_PATHS.stateDir}/${PROMTAIL_PATHS.positionsFile}`,
    }));

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
      data: { [PROMTAIL_PATHS.configFile]: this.configYaml },
    });
    new k8s.KubeService(this, 'Service', serviceProps([endpoint], labels, selector));

    const host = agentHostMounts(pipeline, agentStateHostPath(ns, name), PROMTAIL_PATHS.stateDir);

    new k8s.KubeDaemonSet(this, 'DaemonSet', {
      metadata: meta(name, ns, labels),
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels, annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(this.configYaml) } },
          spec: {
            // The agent calls the API server (pod discovery), so it gets its token.
            ...commonPodSpec(common, { serviceAccountName: sa.name, automountToken: true }),
            // Every node, control plane and tainted pools included: their containers log too.
            tolerations: [{ operator: 'Exists' }],
            securityContext: agentSecurity.pod,
            // Time to send the last batch and write the positions file.
            terminationGracePeriodSeconds: 30,
            containers: [{
              name,
              image: imageRef(props.image, common),
              imagePullPolicy: 'IfNotPresent',
              args: [
                `-config.file=${PROMTAIL_PATHS.configDir}/${PROMTAIL_PATHS.configFile}`,
                // Expands ${HOSTNAME} in the discovery selector; literal "$" and "\" are escaped by the renderer.
                '-config.expand-env=true',
              ],
              env: agentNodeEnv(pipeline),
              ports: [containerPort(endpoint)],
              resources: resources(config.resources),
              securityContext: agentSecurity.container,
              readinessProbe: httpProbe('/ready', endpoint.portName, { periodSeconds: 10 }),
              livenessProbe: httpProbe('/metrics', endpoint.portName, { initialDelaySeconds: 10, periodSeconds: 30, failureThreshold: 5 }),
              volumeMounts: [
                { name: 'config', mountPath: PROMTAIL_PATHS.configDir, readOnly: true },
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
