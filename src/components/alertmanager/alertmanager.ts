/**
 * Alertmanager: receives the stack's firing alerts, groups, inhibits, silences and routes them to the receivers.
 * A StatefulSet (silences and the notification log on a claim where the storage is persistent), meshed
 * over the headless Service when there is more than one replica, with the receivers' credentials mounted
 * read-only from the user's Secrets. Flags as Alertmanager v0.34.0 defines them (cmd/alertmanager).
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig } from '../../config/types';
import { type AlertmanagerEndpoints, alertmanagerPodAddresses } from './endpoints';
import type { Labeler } from '../../lib/labels';
import {
  DATA_VOLUME, RESTRICTED_CONTAINER_SECURITY, commonPodSpec, containerPort, containerPorts, goMemLimitEnv, headlessServiceProps, httpProbe,
  imageRef, meta, resources, restrictedPodSecurity, serviceProps, spreadReplicas,
} from '../../lib/kube';
import { type ComponentScrapeTarget, componentScrapeTarget } from '../../lib/scrape';
import { dataStatefulSet } from '../../lib/stateful-server';
import { ALERTMANAGER_PATHS, alertmanagerTemplateFiles, receiverSecrets, renderAlertmanagerConfigYaml } from './alertmanager-config';
import type { AlertmanagerConfig } from './config';

export const ALERTMANAGER_IDENTITY = { name: 'alertmanager', component: 'alert-router' } as const;

/** The uid/gid the upstream image runs as (`nobody`). */
export const ALERTMANAGER_UID = 65534;

export function alertmanagerScrapeTarget(endpoint: AlertmanagerEndpoints['http']): ComponentScrapeTarget {
  return componentScrapeTarget(ALERTMANAGER_IDENTITY.name, 'Alertmanager', endpoint);
}

/** Alertmanager's command line; peers listed by their stable pod names when replicated. */
export function alertmanagerArgs(config: AlertmanagerConfig, endpoints: AlertmanagerEndpoints): string[] {
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
        ...alertmanagerPodAddresses(endpoints.peers, config.replicas, cluster.port).map((a) => `--cluster.peer=${a}`),
      ]),
  ];
}

/** The receivers' Secrets, one read-only volume each, mounted at `<secretsDir>/<secret>`. */
export function receiverSecretVolumes(config: AlertmanagerConfig): Array<{ volume: k8s.Volume; mount: k8s.VolumeMount }> {
  return [...receiverSecrets(config.receivers)].map(([secretName, keys], i) => ({
    volume: { name: `receivers-${i}`, secret: { secretName, items: keys.map((key) => ({ key, path: key })), defaultMode: 0o440 } },
    mount: { name: `receivers-${i}`, mountPath: `${ALERTMANAGER_PATHS.secretsDir}/${secretName}`, readOnly: true },
  }));
}

export interface AlertmanagerProps {
  readonly config: AlertmanagerConfig;
  readonly common: CommonConfig;
  readonly labeler: Labeler;
  readonly endpoints: AlertmanagerEndpoints;
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
    const configMap = new k8s.KubeConfigMap(this, 'Config', { metadata: meta(name, ns, labels), data: { [ALERTMANAGER_PATHS.configFile]: this.configYaml } });
    const templates = new k8s.KubeConfigMap(this, 'Templates', { metadata: meta(`${name}-templates`, ns, labels), data: { ...this.templateFiles } });
    const secrets = receiverSecretVolumes(config);

    new k8s.KubeService(this, 'Service', serviceProps([endpoints.http], labels, selector));
    // Governs the pod names (`alertmanager-0.alertmanager-headless...`) the alerts' sender and the peers use; lists
    // pods before they are ready, since peers must find each other to settle.
    const cluster = endpoints.cluster;
    new k8s.KubeService(this, 'HeadlessService', headlessServiceProps([endpoints.peers, ...(cluster ? [cluster] : [])], labels, selector, { publishNotReadyAddresses: true }));

    dataStatefulSet(this, 'StatefulSet', {
      name, namespace: ns, labels, selector, replicas: config.replicas, serviceName: endpoints.peers.service, storage: config.storage, common,
      template: (dataVolumes) => ({
        metadata: { labels },
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
            env: [
              ...(cluster ? [{ name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } }] : []),
              goMemLimitEnv(config.resources),
            ],
            ports: [containerPort(endpoints.http), ...(cluster ? containerPorts(cluster) : [])],
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
  }
}
