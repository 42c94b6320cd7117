/**
 * The OTLP gateway: Grafana Alloy as a Deployment behind its own Service, the one address applications
 * send traces, metrics and logs to. Stateless (the exporters queue in memory), spread over nodes when
 * replicated, a new pod ready before an old one goes.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig } from '../../config/types';
import type { OtlpGatewayEndpoints } from './endpoints';
import type { Labeler } from '../../lib/labels';
import {
  RESTRICTED_CONTAINER_SECURITY, commonPodSpec, containerPort, goMemLimitEnv, httpProbe, imageRef, meta, resources, restrictedPodSecurity,
  scratchVolume, serviceProps, spreadReplicas,
} from '../../lib/kube';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import { ALLOY_PATHS, alloyArgs } from '../alloy/alloy';
import type { OtlpGatewayConfig } from './config';
import { type GatewayDestinations, renderGatewayConfig } from './gateway-config';

export const OTLP_GATEWAY_IDENTITY = { name: 'otlp-gateway', component: 'otlp-gateway' } as const;

/** The uid/gid the Alloy image runs as (`alloy`, 473, in its Dockerfile). */
export const ALLOY_IMAGE_UID = 473;

/** Time for the exporters to flush their queues on shutdown. */
export const GATEWAY_GRACE_SECONDS = 60;

export function otlpGatewayScrapeTarget(endpoint: OtlpGatewayEndpoints['metrics']): ComponentScrapeTarget {
  return componentScrapeTarget(OTLP_GATEWAY_IDENTITY.name, 'OTLP gateway', endpoint);
}

export interface OtlpGatewayProps {
  readonly config: OtlpGatewayConfig;
  readonly common: CommonConfig;
  readonly labeler: Labeler;
  readonly endpoints: OtlpGatewayEndpoints;
  /** Where each signal goes (wired URLs). */
  readonly destinations: GatewayDestinations;
}

export class OtlpGateway extends Chart {
  readonly configText: string;

  constructor(scope: Construct, id: string, props: OtlpGatewayProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, labeler, endpoints } = props;
    const name = OTLP_GATEWAY_IDENTITY.name;
    const ns = endpoints.http.namespace;
    const labels = labeler.labels({ ...OTLP_GATEWAY_IDENTITY, version: config.image.tag });
    const selector = labeler.selector(name);
    this.configText = renderGatewayConfig({ config, grpcPort: endpoints.grpc.port, httpPort: endpoints.http.port, ...props.destinations });

    const configMap = new k8s.KubeConfigMap(this, 'Config', { metadata: meta(name, ns, labels), data: { [ALLOY_PATHS.configFile]: this.configText } });
    const ports = [endpoints.grpc, endpoints.http, endpoints.metrics];
    new k8s.KubeService(this, 'Service', serviceProps(ports, labels, selector));
    new k8s.KubeDeployment(this, 'Deployment', {
      metadata: meta(name, ns, labels),
      spec: {
        replicas: config.replicas,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(0), maxSurge: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: {
            ...commonPodSpec(common),
            securityContext: restrictedPodSecurity(ALLOY_IMAGE_UID),
            ...spreadReplicas(config.replicas, selector),
            terminationGracePeriodSeconds: GATEWAY_GRACE_SECONDS,
            containers: [{
              name,
              image: imageRef(config.image, common),
              imagePullPolicy: 'IfNotPresent',
              args: alloyArgs(endpoints.metrics.port),
              env: [goMemLimitEnv(config.resources)],
              ports: ports.map(containerPort),
              resources: resources(config.resources),
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              // Kubernetes' default period and threshold: the alloy chart's readiness probe (Helm path) takes no others.
              readinessProbe: httpProbe('/-/ready', endpoints.metrics.portName),
              livenessProbe: httpProbe('/-/ready', endpoints.metrics.portName, { periodSeconds: 15, failureThreshold: 4 }),
              volumeMounts: [
                { name: 'config', mountPath: ALLOY_PATHS.configDir, readOnly: true },
                { name: 'storage', mountPath: ALLOY_PATHS.storageDir },
              ],
            }],
            volumes: [{ name: 'config', configMap: { name: configMap.name } }, scratchVolume('storage', '256Mi')],
          },
        },
      },
    });
  }
}
