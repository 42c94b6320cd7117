/**
 * The Kafka client settings and the worker's lifecycle, in process: the producer configuration as kafkajs
 * reads and encodes it, the topic request, and the order of a graceful stop. kafkajs is real; the consumer
 * in the lifecycle tests is a recorder of the calls the worker makes (no broker, no protocol).
 */
import { Writable } from 'node:stream';
import { Kafka, logLevel, type EachMessagePayload, type KafkaMessage } from 'kafkajs';
import { PRODUCER_CONFIG, SEND_OPTIONS, consumerConfig, createKafka, topicConfig } from '../src/kafka';
import { createLogger, type Logger } from '../src/logger';
import { MessagingMetrics, RedMetrics } from '../src/metrics';
import { OrderEvents, ensureTopic, type EventProducer, type TopicAdmin } from '../src/publisher';
import { loadSettings, type Settings } from '../src/settings';
import { INJECTED_FAILURE, OrderWorker, parseEvent, type WorkerConsumer } from '../src/worker';
import { parseExposition } from './support';

const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request') as (o: object) => { encode(): Promise<{ buffer: Buffer }> };
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: unknown) => Promise<{ records: KafkaMessage[] }>;
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => unknown;

function memoryLogger(name = 'test'): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const dest = new Writable({ write(chunk, _enc, cb) { for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l)); cb(); } });
  return { log: createLogger(name, 'debug', dest as unknown as Parameters<typeof createLogger>[2]), lines };
}

/** A message as kafkajs's fetch decoder hands it to `eachMessage` (headers as Buffers). */
async function decodedMessage(value: string, offset = 0): Promise<KafkaMessage> {
  const batch = await RecordBatch({ firstOffset: { toString: () => String(offset) } as never, records: [Record({ key: '7', value, headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } })], lastOffsetDelta: 0 });
  const { records } = await decodeRecordBatch(new Decoder(batch.buffer));
  return { ...records[0], offset: String(offset) };
}

describe('producer configuration', () => {
  test('is idempotent with acks=all, one request in flight, bounded retries and no topic auto-creation', () => {
    expect(PRODUCER_CONFIG).toMatchObject({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    expect(PRODUCER_CONFIG.retry?.retries).toBe(5);
    expect(SEND_OPTIONS).toEqual({ acks: -1, timeout: 5000 });
  });

  test('kafkajs accepts it as an idempotent producer: acks other than all are refused, all passes to the connection check', async () => {
    const producer = new Kafka({ clientId: 't', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }).producer(PRODUCER_CONFIG);
    const messages = [{ key: 'k', value: 'v' }];
    await expect(producer.send({ topic: 'orders', messages, acks: 1 })).rejects.toThrow('invalidates the idempotent producer\'s EoS guarantees');
    await expect(producer.send({ topic: 'orders', messages, ...SEND_OPTIONS })).rejects.toThrow('The producer is disconnected');
    // Idempotence needs retries: kafkajs refuses the configuration without them.
    expect(() => new Kafka({ clientId: 't', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }).producer({ ...PRODUCER_CONFIG, retry: { retries: 0 } })).toThrow('must allow retries');
  });

  test('acks=all and the timeout reach the wire as kafkajs encodes a produce request', async () => {
    const { buffer } = await produceRequest({ ...SEND_OPTIONS, topicData: [] }).encode();
    // transactional_id (nullable string: -1), acks (int16), timeout_ms (int32).
    expect(buffer.readInt16BE(0)).toBe(-1);
    expect(buffer.readInt16BE(2)).toBe(-1);
    expect(buffer.readInt32BE(4)).toBe(5000);
  });

  test('the client takes its brokers and service name from the settings', () => {
    const s = loadSettings({ ROLE: 'frontend', KAFKA_BROKERS: 'kafka.observability.svc:9092' });
    expect(createKafka(s, memoryLogger().log)).toBeInstanceOf(Kafka);
  });
});

describe('topic and consumer settings', () => {
  test('the topic request carries partitions, replication and the configs, sorted by name', () => {
    const s = loadSettings({
      ROLE: 'frontend', KAFKA_TOPIC: 'orders', KAFKA_TOPIC_PARTITIONS: '3', KAFKA_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TOPIC_CONFIGS: 'retention.ms=86400000,cleanup.policy=delete,min.insync.replicas=1',
    });
    expect(topicConfig(s.topic)).toEqual({
      topic: 'orders', numPartitions: 3, replicationFactor: 1,
      configEntries: [{ name: 'cleanup.policy', value: 'delete' }, { name: 'min.insync.replicas', value: '1' }, { name: 'retention.ms', value: '86400000' }],
    });
  });

  test('ensureTopic creates the topic once and says whether it existed', async () => {
    const calls: string[] = [];
    let exists = false;
    const admin: TopicAdmin = {
      connect: async () => { calls.push('connect'); },
      disconnect: async () => { calls.push('disconnect'); },
      createTopics: async (o) => { calls.push(`create ${o.topics.map((t) => t.topic).join()}`); const created = !exists; exists = true; return created; },
    };
    const { log, lines } = memoryLogger();
    const topic = loadSettings({ ROLE: 'worker', KAFKA_BROKERS: 'k:9092' }).topic;
    expect(await ensureTopic(admin, topic, log)).toBe(true);
    expect(await ensureTopic(admin, topic, log)).toBe(false);
    expect(calls).toEqual(['connect', 'create orders', 'disconnect', 'connect', 'create orders', 'disconnect']);
    expect(lines.map((l) => l.msg)).toEqual(['topic created', 'topic exists']);
  });

  test('the consumer joins its group without creating topics', () => {
    expect(consumerConfig('demo-worker')).toMatchObject({ groupId: 'demo-worker', allowAutoTopicCreation: false, sessionTimeout: 30000, heartbeatInterval: 3000 });
  });

  test.each([
    [{ ROLE: 'worker' }, 'KAFKA_BROKERS="": must name at least one broker (host:port) for the worker'],
    [{ ROLE: 'frontend', KAFKA_BROKERS: 'kafka' }, 'KAFKA_BROKERS="kafka": "kafka" is not host:port'],
    [{ ROLE: 'frontend', KAFKA_TOPIC: 'or ders' }, 'KAFKA_TOPIC="or ders": must be letters, digits'],
    [{ ROLE: 'frontend', KAFKA_TOPIC_PARTITIONS: '1.5' }, 'KAFKA_TOPIC_PARTITIONS="1.5": must be an integer'],
    [{ ROLE: 'frontend', KAFKA_TOPIC_CONFIGS: 'retention.ms' }, 'KAFKA_TOPIC_CONFIGS="retention.ms": "retention.ms" is not key=value'],
  ])('fails on %j', (env, message) => {
    expect(() => loadSettings(env)).toThrow(message);
  });
});

/** Records the calls the worker makes on its consumer, in order. */
function recordingConsumer(calls: string[]): WorkerConsumer {
  const c: Record<string, unknown> = {
    events: new Kafka({ clientId: 't', brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }).consumer({ groupId: 'g' }).events,
    connect: async () => { calls.push('connect'); },
    subscribe: async (o: { topics: string[] }) => { calls.push(`subscribe ${o.topics.join()}`); },
    run: async () => { calls.push('run'); },
    pause: (tp: Array<{ topic: string }>) => { calls.push(`pause ${tp.map((t) => t.topic).join()}`); },
    commitOffsets: async (o: Array<{ topic: string; partition: number; offset: string }>) => { calls.push(`commit ${o.map((x) => `${x.topic}/${x.partition}@${x.offset}`).join()}`); },
    disconnect: async () => { calls.push('disconnect'); },
    on: () => () => undefined,
  };
  return c as unknown as WorkerConsumer;
}

const noTopicAdmin: TopicAdmin = { connect: async () => undefined, disconnect: async () => undefined, createTopics: async () => false };

function worker(env: Record<string, string>, calls: string[], random?: () => number) {
  const settings: Settings = loadSettings({ ROLE: 'worker', KAFKA_BROKERS: 'k:9092', ...env });
  const { log, lines } = memoryLogger('demo-worker');
  const metrics = new RedMetrics(false);
  const w = new OrderWorker({
    consumer: recordingConsumer(calls), admin: noTopicAdmin, settings, metrics: new MessagingMetrics(metrics.registries), log, onFatal: () => calls.push('fatal'), random,
  });
  return { w, lines, metrics, settings };
}

const payload = (message: KafkaMessage): EachMessagePayload => ({ topic: 'orders', partition: 2, message, heartbeat: async () => undefined, pause: () => () => undefined });

describe('worker lifecycle', () => {
  test('start: topic, connect, subscribe, run, in that order', async () => {
    const calls: string[] = [];
    const { w, lines } = worker({}, calls);
    await w.start();
    expect(calls).toEqual(['connect', 'subscribe orders', 'run']);
    expect(lines.find((l) => l.msg === 'consuming')).toMatchObject({ topic: 'orders', group: 'demo-worker' });
  });

  test('SIGTERM order: stop fetching, finish the message in flight, commit its offset, leave the group', async () => {
    const calls: string[] = [];
    const { w, lines } = worker({ SLOW_STEP_MS: '300' }, calls);
    await w.start();
    calls.length = 0;
    const inFlight = w.handle(payload(await decodedMessage(JSON.stringify({ order: '7', sku: 'sku-7', status: 200 }), 41))).then(() => calls.push('message done'));
    await new Promise((r) => setTimeout(r, 50));
    await w.stop(5000);
    await inFlight;
    expect(calls).toEqual(['pause orders', 'message done', 'commit orders/2@42', 'disconnect']);
    expect(lines.map((l) => l.msg).filter((m) => m !== 'consuming' && m !== 'topic exists')).toEqual(['stopping consumer', 'order event processed', 'offsets committed', 'consumer stopped']);
  });

  test('a message that outlives the shutdown timeout is left uncommitted; the consumer still leaves', async () => {
    const calls: string[] = [];
    const { w, lines } = worker({ SLOW_STEP_MS: '800' }, calls);
    await w.start();
    calls.length = 0;
    void w.handle(payload(await decodedMessage(JSON.stringify({ order: '7', sku: 'sku-7', status: 200 }), 9)));
    await w.stop(100);
    expect(calls).toEqual(['pause orders', 'disconnect']);
    expect(lines.find((l) => l.msg === 'shutdown timeout: leaving messages in flight')?.in_flight).toBe(1);
  });

  test('stop before the consumer runs only disconnects', async () => {
    const calls: string[] = [];
    const { w } = worker({}, calls);
    await w.stop(1000);
    expect(calls).toEqual(['disconnect']);
  });
});

describe('worker handler', () => {
  const event = JSON.stringify({ order: '7', sku: 'sku-7', status: 200 });

  test.each([
    ['0', 0.99, undefined, 'order event processed', 'info'],
    ['0.5', 0.1, INJECTED_FAILURE, 'injected failure', 'error'],
    ['0.5', 0.6, undefined, 'order event processed', 'info'],
    ['1', 0.99, INJECTED_FAILURE, 'injected failure', 'error'],
  ] as const)('ERROR_RATIO=%s with a draw of %p -> error_type %s', async (ratio, draw, errorType, msg, level) => {
    const calls: string[] = [];
    const { w, lines, metrics } = worker({ ERROR_RATIO: ratio }, calls, () => draw);
    await w.handle(payload(await decodedMessage(event, 3)));
    expect(lines.find((l) => l.msg === msg)).toMatchObject({ level, order: '7', topic: 'orders', partition: 2, offset: '3' });
    const count = parseExposition((await metrics.render(undefined)).body).find((s) => s.name === 'messaging_client_consumed_messages_total')!;
    expect(count.labels.error_type).toBe(errorType);
    expect(w.pendingOffsets()).toEqual([{ topic: 'orders', partition: 2, offset: '4' }]);
  });

  test('LATENCY_MS and SLOW_STEP_MS add up in the processing duration', async () => {
    const { w, metrics } = worker({ LATENCY_MS: '60', SLOW_STEP_MS: '60' }, []);
    await w.handle(payload(await decodedMessage(event)));
    const sum = parseExposition((await metrics.render(undefined)).body).find((s) => s.name === 'messaging_process_duration_seconds_sum')!;
    expect(sum.value).toBeGreaterThanOrEqual(0.115);
  });

  test('a value that is not an order event is counted as invalid_payload and its offset still moves on', async () => {
    const { w, lines, metrics } = worker({}, []);
    await w.handle(payload(await decodedMessage('not json', 5)));
    expect(lines.find((l) => l.msg === 'message is not an order event')?.level).toBe('warn');
    const count = parseExposition((await metrics.render(undefined)).body).find((s) => s.name === 'messaging_client_consumed_messages_total')!;
    expect(count.labels.error_type).toBe('invalid_payload');
    expect(w.pendingOffsets()).toEqual([{ topic: 'orders', partition: 2, offset: '6' }]);
  });

  test.each([
    [null, undefined],
    ['{"order":"1","sku":"s"}', undefined],
    ['{"order":"1","sku":"s","status":200}', { order: '1', sku: 's', status: 200 }],
  ])('parseEvent(%s)', (value, expected) => {
    expect(parseEvent(value === null ? null : Buffer.from(value))).toEqual(expected);
  });
});

describe('publisher', () => {
  test('a failed send is logged and counted, never thrown; stop waits for sends in flight and disconnects once connected', async () => {
    const calls: string[] = [];
    let fail = true;
    const producer: EventProducer = {
      connect: async () => { calls.push('connect'); },
      disconnect: async () => { calls.push('disconnect'); },
      send: async () => {
        calls.push('send');
        await new Promise((r) => setTimeout(r, 100));
        if (fail) throw new Error('broker gone');
        return [];
      },
    };
    const { log, lines } = memoryLogger('demo-frontend');
    const metrics = new RedMetrics(false);
    const events = new OrderEvents({ producer, admin: noTopicAdmin, topic: loadSettings({ ROLE: 'frontend' }).topic, metrics: new MessagingMetrics(metrics.registries), log, retryDelayMs: 10 });
    await events.publish({ order: '1', sku: 'sku-1', status: 200 });
    expect(lines.find((l) => l.msg === 'order event not sent')).toMatchObject({ level: 'error', order: '1', connected: false });
    events.start();
    await new Promise((r) => setTimeout(r, 50));
    fail = false;
    const pending = events.publish({ order: '2', sku: 'sku-2', status: 200 });
    await events.stop();
    await pending;
    expect(calls).toEqual(['send', 'connect', 'send', 'disconnect']);
    const sent = parseExposition((await metrics.render(undefined)).body).filter((s) => s.name === 'messaging_client_sent_messages_total');
    expect(sent.map((s) => [s.labels.error_type ?? 'none', s.value]).sort()).toEqual([['Error', 1], ['none', 1]]);
  });
});
