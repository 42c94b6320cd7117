/**
 * The Kafka broker's config slice: the schema (type and runtime check in one), its defaults, and what each
 * profile changes. Kafka is the example system's message broker: deployed when this and `demo.enabled` are on.
 */
import * as z from 'zod';
import { INT32_MAX, duration, flag, image, listenPorts, obj, positiveInt, report, resourcesSchema, storageSchema, text, type ProfileChanges } from '../../config/fields';
import { parseQuantity } from '../../config/units';
import { KAFKA_MIN_HEAP_BYTES, KAFKA_MIN_MEMORY_LIMIT_BYTES, kafkaMinimumVolumeBytes } from './kafka-config';
import { POD_DEFAULTS, podsSchema } from '../../config/pods';

const TOPIC_NAME: readonly [string, string] = ['is not a Kafka topic name', 'use letters, digits, ".", "_" and "-" (at most 249, not starting with "__"), e.g. "orders"'];

export const kafkaSchema = obj({
  /** The Kafka hop of the example services: deployed when this and `demo.enabled` are both true. */
  enabled: flag(),
  /** The official image (JVM). */
  image: image({ repository: 'docker.io/apache/kafka', tag: '4.3.1' }, { registryHost: true }),
  /** `client`: the listener producers and consumers use; `controller`: KRaft, inside the pod only. */
  ports: listenPorts('kafka', { client: 9092, controller: 9093 }),
  /** The JVM heap is half the memory limit (`-Xms` = `-Xmx`); the rest is for off-heap buffers and metaspace. */
  resources: resourcesSchema,
  /** `log.dirs`: the topic partitions and the KRaft metadata log. */
  storage: storageSchema,
  /** How long messages are kept: the topic's `retention.ms` and the broker's `log.retention.ms`. */
  retention: duration('24h'),
  /** The topic the frontend creates with these settings and the worker consumes. */
  topic: obj({
    /** Topic name: letters, digits, `.`, `_`, `-`. */
    name: text(TOPIC_NAME, (v) => (/^[A-Za-z0-9._-]{1,249}$/.test(v) && v !== '.' && v !== '..' && !v.startsWith('__') ? undefined : TOPIC_NAME)),
    /** Partitions, also the broker's `num.partitions`; one node of the example system needs few. */
    partitions: positiveInt(3, INT32_MAX),
  }).readonly(),
  /** Where the pods run (nodeSelector, tolerations, affinity) and the labels and annotations added to them (`src/config/pods.ts`). */
  pods: podsSchema,
}).superRefine((k, ctx) => {
  const memory = parseQuantity(k.resources.limits.memory);
  if (memory !== undefined && memory > 0 && memory < KAFKA_MIN_MEMORY_LIMIT_BYTES) {
    report(ctx, ['resources', 'limits', 'memory'], k.resources.limits.memory, `leaves less than ${KAFKA_MIN_HEAP_BYTES / 2 ** 20} MiB of JVM heap (the heap is half the limit)`,
      `use at least "${KAFKA_MIN_MEMORY_LIMIT_BYTES / 2 ** 20}Mi", e.g. "1Gi"`);
  }
  const volume = parseQuantity(k.storage.size);
  if (k.topic.partitions > 100) {
    report(ctx, ['topic', 'partitions'], k.topic.partitions, 'is more than one node of the example system needs', 'use at most 100, e.g. 3');
  } else if (volume !== undefined && volume < kafkaMinimumVolumeBytes(k.topic.partitions)) {
    const min = Math.ceil(kafkaMinimumVolumeBytes(k.topic.partitions) / 2 ** 20);
    report(ctx, ['storage', 'size'], k.storage.size, `cannot hold two 16 MiB segments per partition in half the volume (${k.topic.partitions} partitions need ${min} MiB)`,
      `use at least "${min}Mi", or fewer kafka.topic.partitions`);
  }
}).readonly();

export type KafkaConfig = z.infer<typeof kafkaSchema>;

export const KAFKA_DEFAULTS: KafkaConfig = {
  enabled: false,
  // 4.3.1 is the newest release the Apache Kafka downloads page lists with an image.
  image: { repository: 'docker.io/apache/kafka', tag: '4.3.1' },
  ports: { client: 9092, controller: 9093 },
  // 1Gi limit -> 512 MiB heap: plenty for a few messages a second.
  resources: { requests: { cpu: '100m', memory: '768Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  storage: { persistent: false, size: '2Gi', storageClassName: undefined },
  retention: '24h',
  // Three partitions, as in the system obs-stack comes from.
  topic: { name: 'orders', partitions: 3 },
  pods: POD_DEFAULTS,
};

export const KAFKA_PROFILES: ProfileChanges<KafkaConfig> = {
  dev: {
    enabled: true,
    resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
    storage: { persistent: false, size: '1Gi' },
  },
  // Only with demo.enabled; then its data survives a restart.
  prod: { storage: { persistent: true, size: '10Gi' }, retention: '72h' },
};
