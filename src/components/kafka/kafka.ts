/**
 * Kafka: the message broker of the example system (the frontend publishes order events, the worker
 * consumes them). One Apache Kafka node from the official image in KRaft mode, in a StatefulSet with its
 * data on the `data` volume: an emptyDir in dev, a PersistentVolumeClaim where `storage.persistent`.
 *
 * The pod does not use the image's entry script, which rewrites `/opt/kafka/config` at start (a read-only
 * root filesystem forbids that): an init container formats the data directory for the cluster id (a no-op
 * once formatted), then `kafka-server-start.sh` runs the rendered `server.properties`. The Java process is
 * PID 1 (the scripts `exec` it), so SIGTERM triggers Kafka's controlled shutdown.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { CommonConfig, ImageSpec, KafkaConfig } from '../../config/types';
import { parseQuantity } from '../../config/units';
import type { Endpoint } from '../../lib/endpoints';
import type { Labeler } from '../../lib/labels';
import {
  CONFIG_CHECKSUM_ANNOTATION, DATA_VOLUME, RESTRICTED_CONTAINER_SECURITY, commonPodSpec, configChecksum, containerPort, imageRef, meta,
  resources, restrictedPodSecurity, scratchVolume, serviceProps,
} from '../../lib/kube';
import { dataStatefulSet } from '../../lib/stateful-server';
import {
  KAFKA_PATHS, kafkaClusterId, kafkaRetentionMs, kafkaServerEnv, kafkaServerProperties, renderLog4j2, renderProperties,
} from './kafka-config';

export const KAFKA_IDENTITY = { name: 'kafka', component: 'message-broker' } as const;

/** The uid/gid of the image's `appuser` (created by Alpine's `adduser`, the first regular id). */
export const KAFKA_UID = 1000;

/** Name of the controller port on the container (declared, never exposed: the quorum is localhost). */
export const KAFKA_CONTROLLER_PORT_NAME = 'controller';

/** How long a start may take (replaying the metadata log and recovering partitions after a crash). */
const KAFKA_MAX_STARTUP_SECONDS = 300;

/** Controlled shutdown closes the logs cleanly, so the next start skips recovery. */
const KAFKA_TERMINATION_GRACE_SECONDS = 60;

export interface KafkaProps {
  readonly config: KafkaConfig;
  readonly common: CommonConfig;
  readonly image: ImageSpec;
  readonly labeler: Labeler;
  /** The client listener, through the `kafka` Service (what producers and consumers bootstrap with). */
  readonly client: Endpoint;
  /** The controller listener's port (KRaft, localhost only). */
  readonly controllerPort: number;
}

/** A TCP probe on a named port: Kafka answers no HTTP. */
function tcpProbe(portName: string, t: { periodSeconds: number; failureThreshold: number }): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromString(portName) }, initialDelaySeconds: 0, timeoutSeconds: 5, ...t };
}

export class Kafka extends Chart {
  /** The rendered `server.properties`. */
  readonly serverProperties: string;

  constructor(scope: Construct, id: string, props: KafkaProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config, common, client, labeler } = props;
    const ns = client.namespace;
    const name = KAFKA_IDENTITY.name;
    const labels = labeler.labels({ ...KAFKA_IDENTITY, version: props.image.tag });
    const selector = labeler.selector(name);
    const memoryLimitBytes = parseQuantity(config.resources.limits.memory) ?? 0;

    this.serverProperties = renderProperties(kafkaServerProperties({
      clientPort: client.port,
      controllerPort: props.controllerPort,
      advertisedHost: client.host,
      partitions: config.topic.partitions,
      retentionMs: kafkaRetentionMs(config),
    }));
    const log4j = renderLog4j2();

    const configMap = new k8s.KubeConfigMap(this, 'Config', {
      metadata: meta(name, ns, labels),
      data: { [KAFKA_PATHS.serverProperties]: this.serverProperties, [KAFKA_PATHS.log4j]: log4j },
    });
    new k8s.KubeService(this, 'Service', serviceProps([client], labels, selector));

    const image = imageRef(props.image, common);
    const serverProperties = `${KAFKA_PATHS.configDir}/${KAFKA_PATHS.serverProperties}`;
    const mounts: k8s.VolumeMount[] = [
      { name: 'config', mountPath: KAFKA_PATHS.configDir, readOnly: true },
      { name: DATA_VOLUME, mountPath: KAFKA_PATHS.volumeDir },
      { name: 'tmp', mountPath: KAFKA_PATHS.tmpDir },
    ];
    const clientPort = containerPort(client);

    dataStatefulSet(this, 'StatefulSet', {
      name, namespace: ns, labels, selector, replicas: 1, serviceName: client.service, storage: config.storage, common,
      template: (dataVolumes) => ({
        metadata: { labels, annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(this.serverProperties, log4j) } },
        spec: {
          ...commonPodSpec(common),
          securityContext: restrictedPodSecurity(KAFKA_UID),
          terminationGracePeriodSeconds: KAFKA_TERMINATION_GRACE_SECONDS,
          initContainers: [{
            name: 'format-storage',
            image,
            imagePullPolicy: 'IfNotPresent',
            // KRaft needs a formatted data directory; --ignore-formatted makes every later start a no-op.
            command: [
              `${KAFKA_PATHS.home}/bin/kafka-storage.sh`, 'format',
              `--config=${serverProperties}`, `--cluster-id=${kafkaClusterId(ns)}`, '--ignore-formatted',
            ],
            env: [{ name: 'LOG_DIR', value: KAFKA_PATHS.scriptLogDir }],
            resources: resources(config.resources),
            securityContext: RESTRICTED_CONTAINER_SECURITY,
            volumeMounts: mounts,
          }],
          containers: [{
            name,
            image,
            imagePullPolicy: 'IfNotPresent',
            command: [`${KAFKA_PATHS.home}/bin/kafka-server-start.sh`, serverProperties],
            env: kafkaServerEnv(memoryLimitBytes),
            ports: [clientPort, { name: KAFKA_CONTROLLER_PORT_NAME, containerPort: props.controllerPort, protocol: 'TCP' }],
            resources: resources(config.resources),
            securityContext: RESTRICTED_CONTAINER_SECURITY,
            // The client listener accepts connections once the broker has started.
            startupProbe: tcpProbe(client.portName, { periodSeconds: 10, failureThreshold: Math.ceil(KAFKA_MAX_STARTUP_SECONDS / 10) }),
            readinessProbe: tcpProbe(client.portName, { periodSeconds: 10, failureThreshold: 3 }),
            livenessProbe: tcpProbe(client.portName, { periodSeconds: 15, failureThreshold: 4 }),
            volumeMounts: mounts,
          }],
          volumes: [
            { name: 'config', configMap: { name: configMap.name } },
            ...dataVolumes,
            scratchVolume('tmp'),
          ],
        },
      }),
    });
  }
}
