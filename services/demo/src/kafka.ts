/**
 * The Kafka client both sides use (kafkajs), configured in one place: the producer's delivery guarantees,
 * the topic the frontend creates, the consumer's group settings, and kafkajs's own log lines as JSON.
 *
 * Must be required after tracing started (see main.ts): `@opentelemetry/instrumentation-kafkajs` patches
 * kafkajs when it is loaded, so producer and consumer spans and the `traceparent` header come from there.
 */
import {
  Kafka, Partitioners, logLevel,
  type ConsumerConfig, type ITopicConfig, type LogEntry, type ProducerConfig, type RetryOptions,
} from 'kafkajs';
import type { Logger } from './logger';
import type { Settings, TopicSettings } from './settings';

/**
 * Retries of one request (and of connecting). Bounded on purpose: the frontend awaits its event before it
 * answers, and a broker that is down must cost a request a few seconds, not hang it.
 */
export const RETRY: RetryOptions = { retries: 5, initialRetryTime: 100, maxRetryTime: 2000, factor: 0.2, multiplier: 2 };

/**
 * The producer: idempotent (the broker drops duplicates a retry would create), one request in flight so
 * retries cannot reorder a partition, topics never created by a send (the frontend creates its topic with
 * explicit settings), and kafkajs's default murmur2 partitioner named so the choice is visible.
 */
export const PRODUCER_CONFIG: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  createPartitioner: Partitioners.DefaultPartitioner,
  retry: RETRY,
};

/** Per send: every in-sync replica acknowledges (`acks=all`, -1; required by idempotence), within 5 s. */
export const SEND_OPTIONS = { acks: -1, timeout: 5000 } as const;

/**
 * The consumer: sessions and heartbeats at kafkajs's defaults written out, never creating topics, and
 * restarting after a crash it can recover from (kafkajs decides; `crash` events tell the worker when not).
 */
export function consumerConfig(groupId: string): ConsumerConfig {
  return {
    groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    allowAutoTopicCreation: false,
    retry: RETRY,
  };
}

/** The topic as kafkajs's `createTopics` takes it; configs sorted so the request is the same every time. */
export function topicConfig(t: TopicSettings): ITopicConfig {
  return {
    topic: t.name,
    numPartitions: t.partitions,
    replicationFactor: t.replicationFactor,
    configEntries: Object.keys(t.configs).sort().map((name) => ({ name, value: t.configs[name] })),
  };
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug',
};

/** kafkajs logs through pino, so every line on stdout stays one JSON object. */
export function kafkaLogCreator(log: Logger) {
  return () => ({ namespace, level, log: entry }: LogEntry) => {
    const { message, timestamp: _ts, logger: _logger, ...fields } = entry;
    log[LEVELS[level] ?? 'info']({ kafka: namespace, ...fields }, message);
  };
}

/** The client: `clientId` is the service name, so broker logs and quotas name the service. */
export function createKafka(s: Settings, log: Logger): Kafka {
  return new Kafka({
    clientId: s.serviceName,
    brokers: [...s.kafkaBrokers],
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    retry: RETRY,
    logLevel: logLevel.INFO,
    logCreator: kafkaLogCreator(log),
  });
}
