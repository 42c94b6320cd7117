/**
 * The Kafka hop without a broker: the frontend's send and the worker's processing run in two processes
 * (test/harness/kafka-hop.js), each with the services' real telemetry, kafkajs and its instrumentation. The
 * record travels between them as the bytes kafkajs's produce encoder writes and its fetch decoder reads, so
 * the worker sees the header types a broker would deliver (Buffers). What cannot run here is the broker
 * itself: the send is refused (no connection), which is the failure path the frontend reports.
 */
import { closedPort, killAll, parseExposition, runHopHarness, startReceiver, type HarnessRun, type LogLine, type ReceivedSpan, type Receiver } from './support';

const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;
const STATUS_ERROR = 2;

afterAll(killAll);

/**
 * Tempo's service-graph pairing (modules/generator/processor/servicegraphs/servicegraphs.go, v2.10.8):
 * a CLIENT or PRODUCER span is keyed by trace id + its span id, a SERVER or CONSUMER span by trace id + its
 * parent span id; a key seen from both sides is an edge, `messaging_system` when either side is a
 * PRODUCER or CONSUMER span. Only the pairing rule is restated here, to check the spans meet it.
 */
function serviceGraphEdges(spans: readonly ReceivedSpan[]): Array<{ client: string; server: string; connectionType: string }> {
  const clients = new Map<string, ReceivedSpan>();
  const servers = new Map<string, ReceivedSpan>();
  for (const s of spans) {
    if (s.kind === SPAN_KIND.client || s.kind === SPAN_KIND.producer) clients.set(`${s.traceId}-${s.spanId}`, s);
    if (s.kind === SPAN_KIND.server || s.kind === SPAN_KIND.consumer) servers.set(`${s.traceId}-${s.parentSpanId}`, s);
  }
  return [...clients].filter(([k]) => servers.has(k)).map(([k, c]) => {
    const s = servers.get(k)!;
    const messaging = c.kind === SPAN_KIND.producer || s.kind === SPAN_KIND.consumer;
    return { client: c.service, server: s.service, connectionType: messaging ? 'messaging_system' : 'unknown' };
  });
}

describe('the Kafka hop: frontend send -> record bytes -> worker', () => {
  let receiver: Receiver;
  let produced: HarnessRun;
  let consumed: HarnessRun;
  let failing: HarnessRun;
  let producedResult: Record<string, unknown>;
  let consumedResult: Record<string, unknown>;

  beforeAll(async () => {
    receiver = await startReceiver();
    const broker = `127.0.0.1:${await closedPort()}`;
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', KAFKA_BROKERS: broker, KAFKA_TOPIC: 'orders' };
    produced = await runHopHarness('produce', {
      ...otel, ROLE: 'frontend', OTEL_SERVICE_NAME: 'demo-frontend', HOP_ORDER: '42',
      // No backend either: the frontend answers 504 and still publishes its one event.
      BACKEND_URL: `http://${broker}`,
    });
    producedResult = produced.results.find((r) => r.step === 'produced')!;
    const batch = String(producedResult.batch);
    consumed = await runHopHarness('consume', {
      ...otel, ROLE: 'worker', OTEL_SERVICE_NAME: 'demo-worker', HOP_BATCH: batch, ERROR_RATIO: '0', SLOW_STEP_MS: '40', LATENCY_MS: '5',
    });
    consumedResult = consumed.results.find((r) => r.step === 'consumed')!;
    failing = await runHopHarness('consume', {
      ...otel, ROLE: 'worker', OTEL_SERVICE_NAME: 'demo-worker', HOP_BATCH: batch, ERROR_RATIO: '1', SLOW_STEP_MS: '0',
    });
  }, 60_000);

  afterAll(async () => { await receiver?.close(); });

  const producerSpan = () => receiver.spans.find((s) => s.service === 'demo-frontend' && s.kind === SPAN_KIND.producer)!;
  const consumerSpans = () => receiver.spans.filter((s) => s.service === 'demo-worker' && s.kind === SPAN_KIND.consumer);

  test('both harness processes ran to completion', () => {
    expect([produced.code, consumed.code, failing.code, produced.stderr, consumed.stderr]).toEqual([0, 0, 0, '', '']);
    expect(producedResult).toBeDefined();
    expect(consumedResult).toBeDefined();
  });

  test('the send carries acks=all and the event, keyed by order', () => {
    expect(producedResult.record).toEqual({
      topic: 'orders', acks: -1, timeout: 5000, key: '42', value: JSON.stringify({ order: '42', sku: 'sku-42', status: 504 }),
    });
  });

  test('the producer span is a PRODUCER child of the request span, named and attributed per the messaging conventions', async () => {
    await receiver.waitFor((spans) => spans.some((s) => s.kind === SPAN_KIND.producer));
    const p = producerSpan();
    const server = receiver.spans.find((s) => s.service === 'demo-frontend' && s.kind === SPAN_KIND.server)!;
    expect(p.name).toBe('send orders');
    expect(p.parentSpanId).toBe(server.spanId);
    expect(p.traceId).toBe(server.traceId);
    expect(p.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.kafka.message.key': '42',
    });
    // No broker: kafkajs refuses the send, and the span says so.
    expect(p.statusCode).toBe(STATUS_ERROR);
    expect(p.attributes['error.type']).toBe('KafkaJSError');
  });

  test('W3C traceparent in the record headers names the producer span; the consumer reads it back as a Buffer', () => {
    const p = producerSpan();
    const traceparent = `00-${p.traceId}-${p.spanId}-01`;
    expect(producedResult.headers).toEqual({ traceparent: { type: 'string', value: traceparent } });
    expect((consumedResult.messages as Array<Record<string, unknown>>)).toEqual([
      { offset: '0', key: '42', headers: { traceparent: { type: 'Buffer', value: traceparent } } },
    ]);
    expect(consumedResult.wrapped).toBe(true);
  });

  test('the worker\'s CONSUMER span continues the producer\'s trace, with the producer span as parent', async () => {
    await receiver.waitFor((spans) => spans.filter((s) => s.kind === SPAN_KIND.consumer).length >= 2);
    const p = producerSpan();
    const [ok] = consumerSpans().filter((s) => s.statusCode !== STATUS_ERROR);
    expect(ok).toMatchObject({ name: 'process orders', traceId: p.traceId, parentSpanId: p.spanId });
    expect(ok.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.destination.name': 'orders',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': '0',
      'messaging.kafka.message.key': '42',
    });
    const step = receiver.spans.find((s) => s.service === 'demo-worker' && s.name === 'order.fulfil' && s.parentSpanId === ok.spanId);
    expect(step?.attributes['demo.slow_step_ms']).toBe(40);
  });

  test('Tempo\'s service-graph pairing finds the messaging edge demo-frontend -> demo-worker', () => {
    const edges = serviceGraphEdges(receiver.spans);
    expect(edges).toContainEqual({ client: 'demo-frontend', server: 'demo-worker', connectionType: 'messaging_system' });
    // And only because the consumer span's parent is the producer span: re-parented, the edge is gone.
    const reparented = receiver.spans.map((s) => (s.kind === SPAN_KIND.consumer ? { ...s, parentSpanId: 'ffffffffffffffff' } : s));
    expect(serviceGraphEdges(reparented).filter((e) => e.server === 'demo-worker')).toEqual([]);
  });

  test('the worker\'s log lines carry the trace and span of the message they were written for', () => {
    const p = producerSpan();
    const line = consumed.logs.find((l) => l.msg === 'order event processed')!;
    expect(line).toMatchObject({ level: 'info', service: 'demo-worker', order: '42', sku: 'sku-42', topic: 'orders', partition: 0, offset: '0', trace_id: p.traceId });
    const span = receiver.spans.find((s) => s.spanId === line.span_id);
    expect(span).toMatchObject({ service: 'demo-worker', kind: SPAN_KIND.consumer, traceId: p.traceId });
    // Lines outside a message carry no trace context.
    for (const l of consumed.logs.filter((x: LogLine) => x.kafka !== undefined)) expect(l.trace_id).toBeUndefined();
  });

  test('the worker counts the message and times it, with exemplars pointing at its consumer span', () => {
    const samples = parseExposition(String(consumedResult.metrics));
    const labels = { messaging_system: 'kafka', messaging_destination_name: 'orders', messaging_operation_name: 'process' };
    const count = samples.find((s) => s.name === 'messaging_client_consumed_messages_total')!;
    expect(count.labels).toEqual(labels);
    expect(count.value).toBe(1);
    const consumer = consumerSpans().find((s) => s.spanId === count.exemplar?.span_id);
    expect(consumer?.traceId).toBe(count.exemplar?.trace_id);
    const buckets = samples.filter((s) => s.name === 'messaging_process_duration_seconds_bucket');
    expect(buckets.find((b) => b.labels.le === '+Inf')?.value).toBe(1);
    expect(buckets.filter((b) => b.exemplar !== undefined).map((b) => b.exemplar!.trace_id)).toEqual([count.exemplar!.trace_id]);
    // Latency 5 ms + slow step 40 ms.
    expect(samples.find((s) => s.name === 'messaging_process_duration_seconds_sum')!.value).toBeGreaterThanOrEqual(0.045);
    // The offset to commit is the one after the processed message.
    expect(consumedResult.offsets).toEqual([{ topic: 'orders', partition: 0, offset: '1' }]);
  });

  test('the frontend counts the refused send with its error type and an exemplar of the request', () => {
    const samples = parseExposition(String(producedResult.metrics));
    const sent = samples.find((s) => s.name === 'messaging_client_sent_messages_total')!;
    expect(sent.labels).toEqual({ messaging_system: 'kafka', messaging_destination_name: 'orders', messaging_operation_name: 'send', error_type: 'KafkaJSError' });
    expect(sent.exemplar?.trace_id).toBe(producerSpan().traceId);
    const line = produced.logs.find((l) => l.msg === 'order event not sent')!;
    expect(line).toMatchObject({ level: 'error', order: '42', topic: 'orders', trace_id: producerSpan().traceId });
  });

  test('ERROR_RATIO=1: the consumer span is an error with a "fault injected" event, logged and counted as injected_failure', async () => {
    const line = failing.logs.find((l) => l.msg === 'injected failure')!;
    expect(line).toMatchObject({ level: 'error', order: '42', error_ratio: 1, trace_id: producerSpan().traceId });
    await receiver.waitFor((spans) => spans.some((s) => s.spanId === line.span_id));
    const span = receiver.spans.find((s) => s.spanId === line.span_id)!;
    expect(span).toMatchObject({ kind: SPAN_KIND.consumer, statusCode: STATUS_ERROR, parentSpanId: producerSpan().spanId });
    expect(span.events).toContain('fault injected');
    const result = failing.results.find((r) => r.step === 'consumed')!;
    const count = parseExposition(String(result.metrics)).find((s) => s.name === 'messaging_client_consumed_messages_total')!;
    expect(count.labels.error_type).toBe('injected_failure');
    // Failed messages are not retried: their offset is committed like any other.
    expect(result.offsets).toEqual([{ topic: 'orders', partition: 0, offset: '1' }]);
  });
});
