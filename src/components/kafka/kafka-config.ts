/**
 * Kafka's configuration as typed data with Kafka's own key names
 * (https://kafka.apache.org/documentation/#brokerconfigs), rendered once to `server.properties` and a
 * console-only `log4j2.yaml`, plus the process environment and the topic the example services use. Pure:
 * config in, text and objects out.
 *
 * One node in KRaft mode runs broker and controller in one process (`process.roles=broker,controller`).
 * The controller listener is reached on localhost only (the static quorum `1@localhost:9093`): nothing
 * outside the pod talks KRaft. Clients connect to the PLAINTEXT listener, which advertises the Service's
 * DNS name, so the address a client gets back from metadata is the one it bootstrapped with.
 */
import { createHash } from 'node:crypto';
import type { KafkaConfig, StackConfig } from '../../config/types';
import { parseDuration } from '../../config/units';
import { toYaml } from '../../lib/yaml';

const MiB = 2 ** 20;

/** Kafka is part of the example system: it runs when the example services run and `kafka.enabled` is on. */
export function kafkaDeployed(cfg: Pick<StackConfig, 'demo' | 'kafka'>): boolean {
  return cfg.demo.enabled && cfg.kafka.enabled;
}

/** Paths inside the container (the official image keeps Kafka in /opt/kafka). */
export const KAFKA_PATHS = {
  home: '/opt/kafka',
  configDir: '/etc/kafka/obs-stack',
  serverProperties: 'server.properties',
  log4j: 'log4j2.yaml',
  /** Where the data volume is mounted. */
  volumeDir: '/var/lib/kafka',
  /**
   * `log.dirs`: a directory inside the volume, never its root, which may hold `lost+found` (a PVC's ext4),
   * a directory Kafka would try to load as a partition.
   */
  dataDir: '/var/lib/kafka/data',
  tmpDir: '/tmp',
  /** `LOG_DIR` of the start scripts (it must be writable); the log4j configuration writes no files there. */
  scriptLogDir: '/tmp',
} as const;

/** `node.id` of the one node; also its id in the voter list. */
export const KAFKA_NODE_ID = 1;

/** Listener names (`listener.security.protocol.map` maps both to PLAINTEXT: in-cluster, no TLS). */
export const KAFKA_LISTENERS = { client: 'PLAINTEXT', controller: 'CONTROLLER' } as const;

/**
 * `segment.bytes` of the topic: small, so retention by size (which deletes whole closed segments) keeps the
 * volume well below its limit.
 */
export const KAFKA_SEGMENT_BYTES = 16 * MiB;

/** Share of the data volume the topic may fill; the rest holds `__consumer_offsets`, the metadata log and open segments. */
export const KAFKA_TOPIC_VOLUME_SHARE = 0.5;

/** The JVM heap as a share of the memory limit; the rest is direct buffers, metaspace, thread stacks and GC overhead. */
export const KAFKA_HEAP_SHARE = 0.5;

/** The smallest heap a broker starts with comfortably; the memory limit must allow it. */
export const KAFKA_MIN_HEAP_BYTES = 256 * MiB;

/** The smallest memory limit that leaves `KAFKA_MIN_HEAP_BYTES` of heap. */
export const KAFKA_MIN_MEMORY_LIMIT_BYTES = KAFKA_MIN_HEAP_BYTES / KAFKA_HEAP_SHARE;

/** The smallest volume for `partitions`: each partition's share must hold two segments (one closed, one open). */
export function kafkaMinimumVolumeBytes(partitions: number): number {
  return Math.ceil((2 * KAFKA_SEGMENT_BYTES * partitions) / KAFKA_TOPIC_VOLUME_SHARE);
}

/** Replication on one node: one copy of everything, and one in-sync replica is enough. */
const REPLICATION = 1;

export interface KafkaServerInput {
  readonly clientPort: number;
  readonly controllerPort: number;
  /** The Service's DNS name, `kafka.<namespace>.svc`: what clients are told to connect to. */
  readonly advertisedHost: string;
  readonly partitions: number;
  readonly retentionMs: number;
}

/** `server.properties`, in a fixed order, with Kafka's key names. */
export function kafkaServerProperties(i: KafkaServerInput): Array<[string, string]> {
  const { client, controller } = KAFKA_LISTENERS;
  return [
    // KRaft, one node that is broker and controller.
    ['process.roles', 'broker,controller'],
    ['node.id', String(KAFKA_NODE_ID)],
    ['controller.quorum.voters', `${KAFKA_NODE_ID}@localhost:${i.controllerPort}`],
    ['controller.listener.names', controller],
    // Listeners: bound on every interface; only the client listener is advertised.
    ['listeners', `${client}://0.0.0.0:${i.clientPort},${controller}://0.0.0.0:${i.controllerPort}`],
    ['advertised.listeners', `${client}://${i.advertisedHost}:${i.clientPort}`],
    ['inter.broker.listener.name', client],
    ['listener.security.protocol.map', `${client}:PLAINTEXT,${controller}:PLAINTEXT`],
    // Data.
    ['log.dirs', KAFKA_PATHS.dataDir],
    ['num.partitions', String(i.partitions)],
    ['log.retention.ms', String(i.retentionMs)],
    ['log.segment.bytes', String(KAFKA_SEGMENT_BYTES)],
    // Topics are created by the producer with explicit settings, never by a client's metadata request.
    ['auto.create.topics.enable', 'false'],
    // One node: every internal topic with a single replica.
    ['default.replication.factor', String(REPLICATION)],
    ['min.insync.replicas', String(REPLICATION)],
    ['offsets.topic.replication.factor', String(REPLICATION)],
    ['transaction.state.log.replication.factor', String(REPLICATION)],
    ['transaction.state.log.min.isr', String(REPLICATION)],
    ['share.coordinator.state.topic.replication.factor', String(REPLICATION)],
    ['share.coordinator.state.topic.min.isr', String(REPLICATION)],
    // A consumer group with one member need not wait for others to join.
    ['group.initial.rebalance.delay.ms', '0'],
  ];
}

export function renderProperties(entries: ReadonlyArray<readonly [string, string]>): string {
  return `${entries.map(([k, v]) => `${k}=${v}`).join('\n')}\n`;
}

/** Log4j 2 configuration: everything to stdout (where the log agents read it), nothing to files. */
export function kafkaLog4j2(): object {
  return {
    Configuration: {
      Appenders: {
        Console: { name: 'STDOUT', target: 'SYSTEM_OUT', PatternLayout: { pattern: '[%d] %p %m (%c)%n' } },
      },
      Loggers: {
        Root: { level: 'INFO', AppenderRef: [{ ref: 'STDOUT' }] },
      },
    },
  };
}

export function renderLog4j2(): string {
  return toYaml(kafkaLog4j2());
}

/** `KAFKA_HEAP_OPTS`: a fixed heap (`-Xms` = `-Xmx`) of `KAFKA_HEAP_SHARE` of the memory limit, in whole MiB. */
export function kafkaHeapOpts(memoryLimitBytes: number): string {
  const mib = Math.floor((memoryLimitBytes * KAFKA_HEAP_SHARE) / MiB);
  return `-Xms${mib}m -Xmx${mib}m`;
}

/**
 * The environment the start scripts read: the heap, the log4j file, a writable `LOG_DIR`, and the server's
 * name without `-loggc` (the GC log would be a growing file on the scratch volume).
 */
export function kafkaServerEnv(memoryLimitBytes: number): Array<{ name: string; value: string }> {
  return [
    { name: 'KAFKA_HEAP_OPTS', value: kafkaHeapOpts(memoryLimitBytes) },
    { name: 'KAFKA_LOG4J_OPTS', value: `-Dlog4j2.configurationFile=${KAFKA_PATHS.configDir}/${KAFKA_PATHS.log4j}` },
    { name: 'LOG_DIR', value: KAFKA_PATHS.scriptLogDir },
    { name: 'EXTRA_ARGS', value: '-name kafkaServer' },
  ];
}

/**
 * The cluster id `kafka-storage.sh format` writes into the data directory: 16 bytes, base64url without
 * padding (Kafka's Uuid text form), derived from the namespace so every synth writes the same one. A data
 * directory keeps its cluster id for good, so it must not change while the volume lives; the namespace
 * does not change without new volumes.
 */
export function kafkaClusterId(namespace: string): string {
  // Like Kafka's own random ids, never one that starts with "-" (a command line would read it as an option).
  for (let round = 0; ; round++) {
    const id = createHash('sha256').update(`obs-stack kafka ${namespace} ${round}`).digest().subarray(0, 16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The topic the example services exchange events on, with the settings the producer creates it with. */
export interface KafkaTopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Topic configs by Kafka's names, e.g. `retention.ms`. */
  readonly configs: Readonly<Record<string, string>>;
}

/** Milliseconds of `kafka.retention` (validated before this runs). */
export function kafkaRetentionMs(config: KafkaConfig): number {
  const ms = parseDuration(config.retention);
  if (ms === undefined) throw new Error(`internal: kafka.retention ${JSON.stringify(config.retention)} was not validated`);
  return ms;
}

/**
 * The topic: time retention from the config, size retention per partition from the volume
 * (`KAFKA_TOPIC_VOLUME_SHARE` of it, split over the partitions), small segments, deletion (not compaction).
 */
export function kafkaTopicSpec(config: KafkaConfig, volumeBytes: number): KafkaTopicSpec {
  const perPartition = Math.floor((volumeBytes * KAFKA_TOPIC_VOLUME_SHARE) / config.topic.partitions);
  return {
    name: config.topic.name,
    partitions: config.topic.partitions,
    replicationFactor: REPLICATION,
    configs: {
      'cleanup.policy': 'delete',
      'min.insync.replicas': String(REPLICATION),
      'retention.bytes': String(perPartition),
      'retention.ms': String(kafkaRetentionMs(config)),
      'segment.bytes': String(KAFKA_SEGMENT_BYTES),
    },
  };
}
