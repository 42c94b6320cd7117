/**
 * The worker: consumes the frontend's order events and does a little work on each, with the backend's
 * faults (added latency and jitter, a slow step with its own span, a ratio of failures).
 *
 * The kafkajs instrumentation wraps `eachMessage`: it reads `traceparent` from the message headers and
 * runs the handler inside a CONSUMER span whose parent is the frontend's PRODUCER span. That parent link is
 * what Tempo's service graph pairs into a `demo-frontend -> demo-worker` messaging edge, and it puts the
 * frontend's request, the send and this processing in one trace. `eachBatch` would not do: there the
 * instrumentation links to the producer span instead of continuing its trace.
 *
 * A failed message is recorded (span status ERROR with a `fault injected` event, an error log line, the
 * `error_type` label) and not retried: its offset is committed like any other.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Consumer, ConsumerRunConfig, EachMessagePayload } from 'kafkajs';
import type { Logger } from './logger';
import type { MessagingMetrics } from './metrics';
import { ensureTopic, errorType, type OrderEvent, type TopicAdmin } from './publisher';
import type { Settings } from './settings';

/** The worker's own step, a child of the CONSUMER span (like the backend's `inventory.lookup`). */
export const WORKER_STEP_SPAN = 'order.fulfil';

/** `error_type` of a failure the error ratio injected, and of a message that is not an order event. */
export const INJECTED_FAILURE = 'injected_failure';
export const INVALID_PAYLOAD = 'invalid_payload';

/** The kafkajs consumer calls the worker makes (a kafkajs Consumer satisfies them). */
export type WorkerConsumer = Pick<Consumer, 'connect' | 'subscribe' | 'run' | 'pause' | 'commitOffsets' | 'disconnect' | 'on' | 'events'>;

export interface WorkerOptions {
  readonly consumer: WorkerConsumer;
  /** Creates the topic when the worker starts first (same settings as the frontend's). */
  readonly admin: TopicAdmin;
  readonly settings: Settings;
  readonly metrics: MessagingMetrics;
  readonly log: Logger;
  /** Called when kafkajs gives up on the consumer (a crash it will not restart from). */
  readonly onFatal: (err: unknown) => void;
  /** Injectable so the fault logic can be tested without chance. */
  readonly random?: () => number;
  /** Pause between connection attempts while Kafka is unreachable. */
  readonly retryDelayMs?: number;
}

/** An offset to commit: the next one to read in a partition (last processed + 1). */
export interface CommitOffset {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

const tracer = trace.getTracer('obs-stack-demo-worker');
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const unrefSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

export class OrderWorker {
  private running = false;
  private stopping = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly processed = new Map<string, CommitOffset>();
  private readonly random: () => number;

  constructor(private readonly o: WorkerOptions) {
    this.random = o.random ?? Math.random;
  }

  /** What `consumer.run` gets: the instrumentation wraps `eachMessage` in place. */
  runConfig(): ConsumerRunConfig {
    return {
      // kafkajs commits what was processed after every batch and every 5 s; `stop` commits the rest.
      autoCommit: true,
      autoCommitInterval: 5000,
      partitionsConsumedConcurrently: 1,
      eachMessage: (payload) => this.handle(payload),
    };
  }

  /**
   * Joins the group and starts consuming, retrying while Kafka is unreachable. Resolves once consuming
   * (or when `stop` was called first).
   */
  async start(): Promise<void> {
    const { consumer, settings: s, log } = this.o;
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      this.o.metrics.consumerLag({ topic: payload.topic, partition: payload.partition, group: s.consumerGroup, lag: Number(payload.offsetLag) });
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && !this.stopping) this.o.onFatal(payload.error);
    });
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await ensureTopic(this.o.admin, s.topic, log);
        await consumer.connect();
        await consumer.subscribe({ topics: [s.topic.name], fromBeginning: false });
        await consumer.run(this.runConfig());
        this.running = true;
        log.info({ topic: s.topic.name, group: s.consumerGroup }, 'consuming');
        return;
      } catch (err) {
        log.warn({ err, attempt, topic: s.topic.name }, 'kafka not reachable yet');
        await consumer.disconnect().catch(() => undefined);
        await unrefSleep(this.o.retryDelayMs ?? 5000);
      }
    }
  }

  /** Handles one message; never throws (a throw would make kafkajs re-deliver it after a restart). */
  handle(payload: EachMessagePayload): Promise<void> {
    const p = this.process(payload).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  private async process({ topic, partition, message }: EachMessagePayload): Promise<void> {
    const s = this.o.settings;
    const log = this.o.log;
    const started = process.hrtime.bigint();
    // The CONSUMER span the instrumentation started for this message.
    const span = trace.getActiveSpan();
    const sc = span?.spanContext();
    const ids = sc !== undefined && trace.isSpanContextValid(sc) ? { traceId: sc.traceId, spanId: sc.spanId } : {};
    const where = { topic, partition, offset: message.offset };
    let failure: string | undefined;
    try {
      const event = parseEvent(message.value);
      if (event === undefined) {
        failure = INVALID_PAYLOAD;
        span?.setStatus({ code: SpanStatusCode.ERROR, message: 'not an order event' });
        log.warn(where, 'message is not an order event');
      } else {
        const delay = s.latencyMs + (s.jitterMs > 0 ? this.random() * s.jitterMs : 0);
        if (delay > 0) await sleep(delay);
        // Stands for the work an event triggers (reserving stock, say), so the trace shows where time went.
        await tracer.startActiveSpan(WORKER_STEP_SPAN, async (step) => {
          step.setAttribute('demo.order', event.order);
          step.setAttribute('demo.slow_step_ms', s.slowStepMs);
          if (s.slowStepMs > 0) await sleep(s.slowStepMs);
          step.end();
        });
        if (s.errorRatio > 0 && this.random() < s.errorRatio) {
          failure = INJECTED_FAILURE;
          span?.addEvent('fault injected', { 'demo.error_ratio': s.errorRatio });
          span?.setStatus({ code: SpanStatusCode.ERROR, message: 'injected failure' });
          log.error({ ...where, order: event.order, error_ratio: s.errorRatio }, 'injected failure');
        } else {
          log.info({ ...where, order: event.order, sku: event.sku }, 'order event processed');
        }
      }
    } catch (err) {
      failure = errorType(err);
      span?.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
      log.error({ ...where, err }, 'processing failed');
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.o.metrics.messageProcessed({ topic, seconds, ...(failure !== undefined ? { errorType: failure } : {}), ...ids });
    this.processed.set(`${topic}/${partition}`, { topic, partition, offset: (BigInt(message.offset) + 1n).toString() });
  }

  /** The offsets `stop` commits: per partition, the one after the last processed message. */
  pendingOffsets(): CommitOffset[] {
    return [...this.processed.values()].sort((a, b) => a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition);
  }

  /**
   * Graceful stop: no new messages (the topic is paused), the messages in flight finish (at most
   * `timeoutMs`), their offsets are committed, then the consumer leaves the group. Flushing the spans is
   * the caller's next step.
   */
  async stop(timeoutMs: number): Promise<void> {
    const { consumer, log } = this.o;
    this.stopping = true;
    log.info({ in_flight: this.inFlight.size }, 'stopping consumer');
    if (this.running) consumer.pause([{ topic: this.o.settings.topic.name }]);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.inFlight]).then(() => true),
      new Promise<boolean>((r) => { timer = setTimeout(() => r(false), timeoutMs); timer.unref(); }),
    ]);
    clearTimeout(timer);
    if (!drained) log.warn({ in_flight: this.inFlight.size }, 'shutdown timeout: leaving messages in flight');
    const offsets = this.pendingOffsets();
    if (this.running && offsets.length > 0) {
      try {
        await consumer.commitOffsets(offsets);
        log.info({ offsets }, 'offsets committed');
      } catch (err) {
        log.warn({ err, offsets }, 'offsets not committed');
      }
    }
    await consumer.disconnect();
    this.running = false;
    log.info('consumer stopped');
  }
}

/** The order event in a message value, or undefined when the value is not one. */
export function parseEvent(value: Buffer | null): OrderEvent | undefined {
  if (value === null) return undefined;
  try {
    const v = JSON.parse(value.toString('utf8')) as Partial<OrderEvent>;
    return typeof v.order === 'string' && typeof v.sku === 'string' && typeof v.status === 'number' ? (v as OrderEvent) : undefined;
  } catch {
    return undefined;
  }
}
