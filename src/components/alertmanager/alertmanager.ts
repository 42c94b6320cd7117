/**
 * Alertmanager: receives Prometheus's alerts, groups, inhibits, silences and routes them to the receivers.
 * A StatefulSet (silences and the notification log on a claim where the storage is persistent), meshed over
 * the headless Service when there is more than one replica, with the receivers' credentials mounted from
 * the user's Secrets.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, NetworkPolicyConfig } from '../../config/types';
import type { Labeler } from '../../lib/labels';
import {
  CONFIG_CHECKSUM_ANNOTATION, DATA_VOLUME, RESTRICTED_CONTAINER_SECURITY, commonPodSpec, configChecksum, containerPort, goMemLimitEnv,
  httpProbe, imageRef, meta, resources, restrictedPodSecurity, servicePort, serviceProps, spreadReplicas,
} from '../../lib/kube';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import { dataStatefulSet } from '../../lib/stateful-server';
import {
  ALERTMANAGER_PATHS, alertmanagerTemplateFiles, receiverSecrets, renderAlertmanagerConfigYaml, smarthostPorts,
} from './alertmanager-config';
import type { AlertmanagerStackConfig } from './config';
import { type AlertmanagerEndpoints, alertmanagerPodAddresses } from './endpoints';

export const ALERTMANAGER_IDENTITY = { name: 'alertmanager', component: 'alert-router' } as const;

/** The uid/gid the upstream image runs as (`nobody`). */
const ALERTMANAGER_UID = 65534;

/** The NetworkPolicy namespace label (Kubernetes sets it on every namespace). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function alertmanagerScrapeTarget(endpoint: AlertmanagerEndpoints['http']): ComponentScrapeTarget {
  return componentScrapeTarget(ALERTMANAGER_IDENTITY.name, endpoint);
}

/** Alertmanager's command line; peers listed by their stable pod names when replicated. */
export function alertmanagerArgs(config: AlertmanagerStackConfig, endpoints: AlertmanagerEndpoints): string[] {
  const cluster = endpoints.cluster;
  return [
    `--config.file=${ALERTMANAGER_PATHS.configDir}/${ALERTMANAGER_PATHS.configFile}`,
    `--storage.path=${ALERTMANAGER_PATHS.dataDir}`,
    `--data.retention=${config.retention}`,
    `--web.listen-address=:${endpoints.http.port}`,
    ...(cluster === undefined
      // One replica: no gossip listener at all.
      ? ['--cluster.listen-address=']
      : [
        `--cluster.listen-address=0.0.0.0:${cluster.port}`,
        `--cluster.advertise-address=$(POD_IP):${cluster.port}`,
        ...alertmanagerPodAddresses(endpoints.peersHttp, config.replicas, cluster.port).map((a) => `--cluster.peer=${a}`),
      ]),
  ];
}

export interface AlertmanagerProps {
  readonly config: AlertmanagerStackConfig;
  readonly common: CommonConfig;
  readonly labeler: Labeler;
  readonly endpoints: AlertmanagerEndpoints;
  /** Set when the stack renders NetworkPolicies: the notification egress and the peers' UDP gossip are added here. */
  readonly networkPolicy?: NetworkPolicyConfig;
}

export class Alertmanager extends Chart {
  readonly configYaml: string;
  readonly templateFiles: Record<string, string>;

  constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, labeler, endpoints } = props;
    const name = ALERTMANAGER_IDENTITY.name;
    const ns = endpoints.http.namespace;
    const labels = labeler.labels({ ...ALERTMANAGER_IDENTITY, version: config.image.tag });
    const selector = labeler.selector(name);

    this.configYaml = renderAlertmanagerConfigYaml({ config });
    this.templateFiles = alertmanagerTemplateFiles(config);
    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: meta(name, ns, labels), data: { [ALERTMANAGER_PATHS.configFile]: this.configYaml },
    });
    const templates = new k8s.KubeConfigMap(this, 'Templates', { metadata: meta(`${name}-templates`, ns, labels), data: { ...this.templateFiles } });
    const checksum = configChecksum(this.configYaml, ...Object.entries(this.templateFiles).flat());

    const secrets = [...receiverSecrets(config.receivers)].map(([secretName, keys], i) => ({
      volume: { name: `receivers-${i}`, secret: { secretName, items: keys.map((key) => ({ key, path: key })), defaultMode: 0o440 } },
      mount: { name: `receivers-${i}`, mountPath: `${ALERTMANAGER_PATHS.secretsDir}/${secretName}`, readOnly: true },
    }));

    new k8s.KubeService(this, 'Service', serviceProps([endpoints.http], labels, selector));
    // Governs the pod names (`alertmanager-0.alertmanager-headless...`) Prometheus and the peers use; lists
    // pods before they are ready, since peers must find each other to become ready.
    const cluster = endpoints.cluster;
    new k8s.KubeService(this, 'HeadlessService', {
      metadata: meta(endpoints.peersHttp.service, ns, labels),
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector,
        ports: [
          servicePort(endpoints.peersHttp),
          ...(cluster ? [servicePort(cluster), { ...servicePort(cluster), name: `${cluster.portName}-udp`, protocol: 'UDP' }] : []),
        ],
      },
    });

    const podIp: k8s.EnvVar[] = cluster ? [{ name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }] : [];
    dataStatefulSet(this, 'StatefulSet', {
      name, namespace: ns, labels, selector, replicas: config.replicas, serviceName: endpoints.peersHttp.service, storage: config.storage, common,
      template: (dataVolumes) => ({
        metadata: { labels, annotations: { [CONFIG_CHECKSUM_ANNOTATION]: checksum } },
        spec: {
          ...commonPodSpec(common),
          securityContext: restrictedPodSecurity(ALERTMANAGER_UID),
          ...spreadReplicas(config.replicas, selector),
          terminationGracePeriodSeconds: 30,
          containers: [{
            name,
            image: imageRef(config.image, common),
            imagePullPolicy: 'IfNotPresent',
            args: alertmanagerArgs(config, endpoints),
            env: [...podIp, goMemLimitEnv(config.resources)],
            ports: [
              containerPort(endpoints.http),
              ...(cluster ? [containerPort(cluster), { name: `${cluster.portName}-udp`, containerPort: cluster.port, protocol: 'UDP' }] : []),
            ],
            resources: resources(config.resources),
            securityContext: RESTRICTED_CONTAINER_SECURITY,
            readinessProbe: httpProbe('/-/ready', endpoints.http.portName, { periodSeconds: 5 }),
            livenessProbe: httpProbe('/-/healthy', endpoints.http.portName, { periodSeconds: 15, failureThreshold: 4 }),
            volumeMounts: [
              { name: 'config', mountPath: ALERTMANAGER_PATHS.configDir, readOnly: true },
              { name: 'templates', mountPath: ALERTMANAGER_PATHS.templatesDir, readOnly: true },
              { name: DATA_VOLUME, mountPath: ALERTMANAGER_PATHS.dataDir },
              ...secrets.map((s) => s.mount),
            ],
          }],
          volumes: [
            { name: 'config', configMap: { name: configMap.name } },
            { name: 'templates', configMap: { name: templates.name } },
            ...dataVolumes,
            ...secrets.map((s) => s.volume),
          ],
        },
      }),
    });

    if (props.networkPolicy) this.addPolicies(props.networkPolicy, labeler, ns, selector, config, endpoints);
  }

  /**
   * What the wire-derived policies cannot say: notification egress to addresses only the Secrets know (by
   * port, to `networkPolicy.externalEgress.cidrs`), and the peers' gossip over UDP (wires are TCP).
   */
  private addPolicies(np: NetworkPolicyConfig, labeler: Labeler, ns: string, selector: Record<string, string>, config: AlertmanagerStackConfig, endpoints: AlertmanagerEndpoints): void {
    const labels = { ...labeler.stackLabels(), 'app.kubernetes.io/component': 'network-policy' };
    const integrations = config.receivers.some((r) => Object.keys(r).some((k) => k !== 'name' && ((r as unknown as Record<string, unknown[]>)[k] ?? []).length > 0));
    if (integrations) {
      const ports = [...new Set([...config.notificationEgressPorts, ...smarthostPorts(config.receivers)])].sort((a, b) => a - b);
      new k8s.KubeNetworkPolicy(this, 'NotifyEgress', {
        metadata: { name: 'alertmanager-notify-egress', namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: { ...selector } },
          policyTypes: ['Egress'],
          egress: [{ to: np.externalEgress.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: ports.map((p) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(p) })) }],
        },
      });
    }
    const cluster = endpoints.cluster;
    if (cluster) {
      const peer = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: ns } }, podSelector: { matchLabels: { ...selector } } };
      const udp = [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(cluster.port) }];
      new k8s.KubeNetworkPolicy(this, 'GossipUdp', {
        metadata: { name: 'alertmanager-gossip-udp', namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: { ...selector } },
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [peer], ports: udp }],
          egress: [{ to: [peer], ports: udp }],
        },
      });
    }
  }
}
