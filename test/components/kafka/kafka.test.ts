import {
  KAFKA_PATHS, KAFKA_SEGMENT_BYTES, kafkaClusterId, kafkaHeapOpts, kafkaServerProperties, kafkaTopicSpec, renderProperties,
} from '../../../src/components/kafka/kafka-config';
import { KAFKA_UID } from '../../../src/components/kafka/kafka';
import { CONFIG_CHECKSUM_ANNOTATION } from '../../../src/lib/kube';
import { environmentReadme } from '../../../src/outputs/summary';
import type { StackOverrides } from '../../../src/config/types';
import type { StackBuild } from '../../../src/stack';
import { resolveServicePort } from '../../support/checks/wiring';
import { errorOf } from '../../support/config-errors';
import { buildEnv, find, objectsOf, type KubeObject } from '../../support/synth';

const MiB = 2 ** 20;

function kafkaObjects(build: StackBuild): KubeObject[] {
  const chart = build.charts.find((c) => c.node.id === 'kafka');
  if (!chart) throw new Error('no kafka chart');
  return chart.toJson() as KubeObject[];
}

/** server.properties of a build as key -> value. */
function properties(build: StackBuild): Record<string, string> {
  const text: string = find(kafkaObjects(build), 'ConfigMap', 'kafka').data[KAFKA_PATHS.serverProperties];
  return Object.fromEntries(text.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

const pod = (build: StackBuild) => find(kafkaObjects(build), 'StatefulSet', 'kafka').spec.template.spec;
const broker = (build: StackBuild) => pod(build).containers[0];

describe('Kafka: one KRaft node', () => {
  const dev = buildEnv('dev');

  test('runs broker and controller in one process, with a static quorum of itself on localhost', () => {
    expect(properties(dev)).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@localhost:9093',
      'controller.listener.names': 'CONTROLLER',
      'listeners': 'PLAINTEXT://0.0.0.0:9092,CONTROLLER://0.0.0.0:9093',
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    });
    // No ZooKeeper anywhere (Kafka 4 has none).
    expect(Object.keys(properties(dev)).filter((k) => k.startsWith('zookeeper'))).toEqual([]);
  });

  test('advertises the Service DNS name and port, which resolve to the Kafka Service and a port its pod declares', () => {
    const advertised = properties(dev)['advertised.listeners'];
    expect(advertised).toBe(`PLAINTEXT://${dev.endpoints.kafka.client.address}`);
    const [, host, port] = /^PLAINTEXT:\/\/([^:]+):(\d+)$/.exec(advertised)!;
    const [service, namespace] = host.split('.');
    expect([service, namespace]).toEqual(['kafka', dev.env.config.common.namespace]);
    expect(resolveServicePort(objectsOf(dev), service, namespace, Number(port))).toBeUndefined();
    // The controller listener is declared on the container but never exposed.
    const svc = find(kafkaObjects(dev), 'Service', 'kafka');
    expect(svc.spec.ports.map((p: { port: number }) => p.port)).toEqual([9092]);
    expect(broker(dev).ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort])).toEqual([['kafka', 9092], ['controller', 9093]]);
  });

  test('follows changed ports on both ends', () => {
    const build = buildEnv('dev', { kafka: { ports: { client: 19092, controller: 19093 } } });
    expect(properties(build)).toMatchObject({
      'controller.quorum.voters': '1@localhost:19093',
      'advertised.listeners': 'PLAINTEXT://kafka.observability.svc:19092',
    });
    const fe = find(objectsOf(build), 'Deployment', 'demo-frontend').spec.template.spec.containers[0];
    expect(fe.env.find((e: { name: string }) => e.name === 'KAFKA_BROKERS').value).toBe('kafka.observability.svc:19092');
  });

  test('keeps one copy of everything, creates no topic on a client\'s request, and retains what the config says', () => {
    expect(properties(dev)).toMatchObject({
      'auto.create.topics.enable': 'false',
      'default.replication.factor': '1',
      'min.insync.replicas': '1',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'share.coordinator.state.topic.replication.factor': '1',
      'num.partitions': '3',
      'log.retention.ms': String(24 * 3600 * 1000),
      'log.segment.bytes': String(KAFKA_SEGMENT_BYTES),
      'log.dirs': KAFKA_PATHS.dataDir,
    });
    expect(properties(buildEnv('dev', { kafka: { retention: '7d' } }))['log.retention.ms']).toBe(String(7 * 24 * 3600 * 1000));
  });

  test('renders properties in a fixed order, one per line', () => {
    const entries = kafkaServerProperties({ clientPort: 1, controllerPort: 2, advertisedHost: 'h', partitions: 1, retentionMs: 3 });
    expect(renderProperties(entries)).toBe(renderProperties(entries));
    expect(renderProperties([['a', '1'], ['b', '2']])).toBe('a=1\nb=2\n');
    expect(new Set(entries.map(([k]) => k)).size).toBe(entries.length);
  });
});

describe('Kafka pod', () => {
  const dev = buildEnv('dev');

  test('runs as the image\'s appuser (numeric, since the image names it), non-root, read-only root filesystem', () => {
    expect(pod(dev).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: KAFKA_UID, runAsGroup: KAFKA_UID, fsGroup: KAFKA_UID, seccompProfile: { type: 'RuntimeDefault' } });
    for (const c of [...pod(dev).initContainers, ...pod(dev).containers]) {
      expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
      expect(c.image).toBe('docker.io/apache/kafka:4.3.1');
    }
    expect(pod(dev).automountServiceAccountToken).toBe(false);
  });

  test('formats its data directory before the broker starts, for a cluster id that is stable', () => {
    const [init] = pod(dev).initContainers;
    expect(init.name).toBe('format-storage');
    expect(init.command).toEqual([
      '/opt/kafka/bin/kafka-storage.sh', 'format', `--config=${KAFKA_PATHS.configDir}/server.properties`,
      `--cluster-id=${kafkaClusterId('observability')}`, '--ignore-formatted',
    ]);
    expect(broker(dev).command).toEqual(['/opt/kafka/bin/kafka-server-start.sh', `${KAFKA_PATHS.configDir}/server.properties`]);
    expect(kafkaClusterId('observability')).toBe(kafkaClusterId('observability'));
    expect(kafkaClusterId('observability')).not.toBe(kafkaClusterId('other'));
    for (const ns of ['observability', 'other', 'a', 'b', 'c']) {
      const id = kafkaClusterId(ns);
      // Kafka's Uuid text form: 16 bytes, base64url without padding.
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
  });

  test('mounts the data volume over the image\'s data directory and keeps log.dirs inside it, not at its root', () => {
    const mounts = broker(dev).volumeMounts.map((m: { name: string; mountPath: string }) => [m.name, m.mountPath]);
    expect(mounts).toEqual([['config', KAFKA_PATHS.configDir], ['data', KAFKA_PATHS.volumeDir], ['tmp', '/tmp']]);
    expect(pod(dev).initContainers[0].volumeMounts).toEqual(broker(dev).volumeMounts);
    expect(properties(dev)['log.dirs'].startsWith(`${KAFKA_PATHS.volumeDir}/`)).toBe(true);
  });

  test('dev keeps its data on a size-capped emptyDir; a persistent environment on a claim', () => {
    expect(pod(dev).volumes.find((v: { name: string }) => v.name === 'data')).toEqual({ name: 'data', emptyDir: { sizeLimit: '1Gi' } });
    const prod = buildEnv('prod', { demo: { enabled: true }, kafka: { enabled: true } });
    const sts = find(kafkaObjects(prod), 'StatefulSet', 'kafka');
    expect(sts.spec.template.spec.volumes.some((v: { name: string }) => v.name === 'data')).toBe(false);
    expect(sts.spec.volumeClaimTemplates).toEqual([expect.objectContaining({
      metadata: { name: 'data', labels: { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/instance': 'test-prod' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
    })]);
  });

  test('sizes the JVM heap from the memory limit (half of it, fixed)', () => {
    const env = (b: StackBuild) => Object.fromEntries(broker(b).env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env(dev)).toEqual({
      KAFKA_HEAP_OPTS: '-Xms512m -Xmx512m',
      KAFKA_LOG4J_OPTS: `-Dlog4j2.configurationFile=${KAFKA_PATHS.configDir}/log4j2.yaml`,
      LOG_DIR: '/tmp',
      EXTRA_ARGS: '-name kafkaServer',
    });
    const big = buildEnv('dev', { kafka: { resources: { requests: { cpu: '100m', memory: '1Gi' }, limits: { cpu: '1', memory: '3Gi' } } } });
    expect(env(big).KAFKA_HEAP_OPTS).toBe('-Xms1536m -Xmx1536m');
    expect(kafkaHeapOpts(1536 * MiB)).toBe('-Xms768m -Xmx768m');
  });

  test('logs to stdout only', () => {
    const log4j: string = find(kafkaObjects(dev), 'ConfigMap', 'kafka').data[KAFKA_PATHS.log4j];
    expect(log4j).toContain('target: SYSTEM_OUT');
    expect(log4j).not.toMatch(/RollingFile|fileName/);
  });

  test('is probed on its client listener, with time for a long recovery at start', () => {
    const c = broker(dev);
    for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe]) expect(probe.tcpSocket).toEqual({ port: 'kafka' });
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(300);
    expect(pod(dev).terminationGracePeriodSeconds).toBe(60);
  });

  test('rolls when (and only when) its configuration changes', () => {
    const checksum = (b: StackBuild) => find(kafkaObjects(b), 'StatefulSet', 'kafka').spec.template.metadata.annotations[CONFIG_CHECKSUM_ANNOTATION];
    expect(checksum(buildEnv('dev', { common: { labels: { team: 'x' } } }))).toBe(checksum(dev));
    expect(checksum(buildEnv('dev', { kafka: { retention: '48h' } }))).not.toBe(checksum(dev));
  });
});

describe('the orders topic', () => {
  test('is created by the producer with explicit settings: partitions, one replica, time and size retention', () => {
    const cfg = buildEnv('dev').env.config.kafka;
    expect(kafkaTopicSpec(cfg, 1024 * MiB)).toEqual({
      name: 'orders', partitions: 3, replicationFactor: 1,
      configs: {
        'cleanup.policy': 'delete',
        'min.insync.replicas': '1',
        // Half the 1 GiB volume over 3 partitions.
        'retention.bytes': String(Math.floor(512 * MiB / 3)),
        'retention.ms': String(24 * 3600 * 1000),
        'segment.bytes': String(16 * MiB),
      },
    });
  });
});

describe('Kafka in the stack', () => {
  test('deploys with the example services in dev, not at all in prod', () => {
    expect(buildEnv('dev').charts.map((c) => c.node.id)).toContain('kafka');
    expect(buildEnv('prod').charts.map((c) => c.node.id)).not.toContain('kafka');
  });

  test('summarizes its image, storage and retention, and warns that dev data is ephemeral', () => {
    const readme = environmentReadme(buildEnv('dev'));
    expect(readme).toMatch(/\| kafka \| `docker\.io\/apache\/kafka:4\.3\.1` \| 3 \| .* \| 1Gi emptyDir \| 24h \| kafka:9092 \(kafka\) \|/);
    expect(readme).toMatch(/data of [a-z, ]*\bkafka\b[a-z, ]* is on emptyDir volumes/);
    expect(readme).toContain('demo_frontend -->|kafka :9092| kafka');
    expect(readme).toContain('demo_worker -->|kafka :9092| kafka');
  });
});

describe('Kafka configuration', () => {
  test.each([
    [{ kafka: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '384Mi' } } } },
      'kafka.resources.limits.memory: "384Mi" leaves less than 256 MiB of JVM heap (the heap is half the limit); use at least "512Mi"'],
    [{ kafka: { topic: { name: 'or ders' } } }, 'kafka.topic.name: "or ders" is not a Kafka topic name'],
    [{ kafka: { topic: { name: '__consumer_offsets' } } }, 'kafka.topic.name: "__consumer_offsets" is not a Kafka topic name'],
    [{ kafka: { topic: { partitions: 0 } } }, 'kafka.topic.partitions: 0 must be a positive integer'],
    [{ kafka: { topic: { partitions: 500 } } }, 'kafka.topic.partitions: 500 is more than one node of the example system needs'],
    [{ kafka: { storage: { size: '100Mi' } } }, 'kafka.storage.size: "100Mi" cannot hold two 16 MiB segments per partition in half the volume (3 partitions need 192 MiB); use at least "192Mi"'],
    [{ kafka: { retention: 'a day' } }, 'kafka.retention: "a day" is not a duration'],
    [{ kafka: { enabled: 'yes' } }, 'kafka.enabled: "yes" must be true or false'],
    [{ kafka: { image: { tag: 'latest' } } }, 'kafka.image.tag: "latest" is not pinned'],
    [{ kafka: { ports: { client: 9093 } } }, 'kafka.ports.controller: 9093'],
  ] as Array<[StackOverrides | Record<string, unknown>, string]>)('fails on %j', (overrides, message) => {
    expect(errorOf(overrides)).toContain(message);
  });
});
