/**
 * The two ends of the Kafka hop as separate processes, with everything real except the broker (none can
 * run here): the built services' telemetry (the kafkajs instrumentation loaded first, as in main.ts),
 * kafkajs producers and consumers from the services' own factory, and kafkajs's own wire codecs.
 *
 *   node kafka-hop.js produce   the frontend's order route publishes one event; the record kafkajs was
 *                               handed (headers filled by the instrumentation) is encoded the way kafkajs
 *                               encodes a produce request, and printed
 *   node kafka-hop.js consume   that record batch (HOP_BATCH, base64) is decoded the way kafkajs decodes a
 *                               fetch response, and handed to the worker's `eachMessage` as wrapped by the
 *                               instrumentation on `consumer.run`; the worker's metrics are printed
 *
 * Settings come from the environment like the services' (ROLE, KAFKA_BROKERS, OTEL_*). Result lines are
 * JSON with a `harness` field; everything else on stdout is the services' own log lines.
 */
'use strict';
const path = require('node:path');

const dist = (m) => require(path.join(__dirname, '..', '..', 'dist', m));
const { loadSettings } = dist('settings');
const { createLogger } = dist('logger');
const { startTelemetry } = dist('telemetry');

const settings = loadSettings();
const log = createLogger(settings.serviceName, settings.logLevel);
const telemetry = startTelemetry(settings, log);

// After tracing started, as in main.ts.
const http = require('node:http');
const kafka = dist('kafka');
const { MessagingMetrics, RedMetrics } = dist('metrics');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0');
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');
const Decoder = require('kafkajs/src/protocol/decoder');

const emit = (o) => process.stdout.write(`${JSON.stringify({ harness: true, ...o })}\n`);

/** Header values as the consumer sees them: their type, and their text. */
const describeHeaders = (headers) => Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, {
  type: Buffer.isBuffer(v) ? 'Buffer' : typeof v,
  value: Buffer.isBuffer(v) ? v.toString('utf8') : v,
}]));

async function produce() {
  const { OrderEvents } = dist('publisher');
  const { frontendRoutes } = dist('frontend');
  const { startServer } = dist('server');
  const client = kafka.createKafka(settings, log);
  const producer = client.producer(kafka.PRODUCER_CONFIG);
  const sent = [];
  // The instrumented producer, with the records it is handed kept for the encoder below.
  const recording = {
    connect: () => producer.connect(),
    disconnect: () => producer.disconnect(),
    send: (record) => { sent.push(record); return producer.send(record); },
  };
  const metrics = new RedMetrics(false);
  const events = new OrderEvents({ producer: recording, admin: client.admin(), topic: settings.topic, metrics: new MessagingMetrics(metrics.registries), log });
  const server = await startServer({
    host: '127.0.0.1', port: 0, routes: frontendRoutes(settings, events), metrics, log, shutdownDelayMs: 0, shutdownTimeoutMs: 5000,
  });
  const status = await new Promise((resolve, reject) => {
    http.get(`http://127.0.0.1:${server.port}/api/orders/${process.env.HOP_ORDER ?? '42'}`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    }).on('error', reject);
  });
  const record = sent[0];
  const message = record.messages[0];
  // What kafkajs's produce request (v3+) writes for the record batch of one partition.
  const batch = await RecordBatch({
    records: [Record({ key: message.key, value: message.value, headers: message.headers, offsetDelta: 0, timestampDelta: 0 })],
    lastOffsetDelta: 0,
  });
  emit({
    step: 'produced',
    status,
    record: { topic: record.topic, acks: record.acks, timeout: record.timeout, key: message.key, value: message.value },
    headers: describeHeaders(message.headers),
    batch: batch.buffer.toString('base64'),
    metrics: (await metrics.render('application/openmetrics-text')).body,
  });
  await server.shutdown('harness done');
  await telemetry.shutdown();
}

async function consume() {
  const { OrderWorker } = dist('worker');
  const client = kafka.createKafka(settings, log);
  const consumer = client.consumer(kafka.consumerConfig(settings.consumerGroup));
  const metrics = new RedMetrics(false);
  const worker = new OrderWorker({
    consumer, admin: client.admin(), settings, metrics: new MessagingMetrics(metrics.registries), log,
    onFatal: (err) => emit({ step: 'fatal', error: String(err) }),
  });
  const config = worker.runConfig();
  const original = config.eachMessage;
  // The instrumentation wraps `eachMessage` in place when `run` is called; kafkajs then tries to reach
  // the (absent) broker in the background, which this harness does not wait for.
  consumer.run(config).catch(() => undefined);
  const wrapped = config.eachMessage !== original;
  const { records } = await decodeRecordBatch(new Decoder(Buffer.from(process.env.HOP_BATCH ?? '', 'base64')));
  for (const message of records) {
    await config.eachMessage({ topic: settings.topic.name, partition: 0, message, heartbeat: async () => undefined, pause: () => () => undefined });
  }
  emit({
    step: 'consumed',
    wrapped,
    messages: records.map((m) => ({ offset: m.offset, key: m.key?.toString('utf8'), headers: describeHeaders(m.headers) })),
    offsets: worker.pendingOffsets(),
    metrics: (await metrics.render('application/openmetrics-text')).body,
  });
  await telemetry.shutdown();
}

(process.argv[2] === 'produce' ? produce() : consume()).then(
  () => process.exit(0),
  (err) => { process.stderr.write(`${err && err.stack ? err.stack : String(err)}\n`); process.exit(1); },
);
