/**
 * The frontend's side of the Kafka hop: one event per order request to the orders topic. The kafkajs
 * instrumentation turns each send into a PRODUCER span (a child of the request's server span) and writes
 * its W3C `traceparent` into the message headers, so the worker's CONSUMER span continues the same trace.
 *
 * Publishing never fails a request: an event that cannot be sent is logged, counted with its error type
 * and left on the producer span as status ERROR. Connecting (and creating the topic) runs in the
 * background, so the frontend serves while Kafka starts.
 */
import { trace } from '@opentelemetry/api';
import type { Admin, Producer } from 'kafkajs';
import { SEND_OPTIONS, topicConfig } from './kafka';
import type { Logger } from './logger';
import type { MessagingMetrics } from './metrics';
import type { TopicSettings } from './settings';

/** What the worker receives; `order` is also the message key, so one order's events stay in one partition. */
export interface OrderEvent {
  readonly order: string;
  readonly sku: string;
  /** The frontend's answer to the request. */
  readonly status: number;
  readonly stock?: number;
}

/** The kafkajs calls the publisher makes (a kafkajs Producer and Admin satisfy them). */
export type EventProducer = Pick<Producer, 'connect' | 'disconnect' | 'send'>;
export type TopicAdmin = Pick<Admin, 'connect' | 'disconnect' | 'createTopics'>;

export interface PublisherOptions {
  readonly producer: EventProducer;
  readonly admin: TopicAdmin;
  readonly topic: TopicSettings;
  readonly metrics: MessagingMetrics;
  readonly log: Logger;
  /** Pause between connection attempts while Kafka is unreachable. */
  readonly retryDelayMs?: number;
}

const unrefSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** The error's class name (`KafkaJSConnectionError`), the `error.type` of the messaging conventions. */
export function errorType(err: unknown): string {
  return err instanceof Error ? err.constructor.name : 'Error';
}

/**
 * Creates the topic unless it exists, with the settings the stack hands over (partitions, replication,
 * retention). Returns whether it was created.
 */
export async function ensureTopic(admin: TopicAdmin, topic: TopicSettings, log: Logger): Promise<boolean> {
  await admin.connect();
  try {
    const created = await admin.createTopics({ topics: [topicConfig(topic)], waitForLeaders: true });
    log.info({ topic: topic.name, partitions: topic.partitions, created }, created ? 'topic created' : 'topic exists');
    return created;
  } finally {
    await admin.disconnect();
  }
}

export class OrderEvents {
  private connected = false;
  private stopping = false;
  private starting: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly o: PublisherOptions) {}

  /** Connects and creates the topic in the background, retrying until it works or `stop` is called. */
  start(): void {
    this.starting ??= (async () => {
      for (let attempt = 1; !this.stopping; attempt++) {
        try {
          await ensureTopic(this.o.admin, this.o.topic, this.o.log);
          await this.o.producer.connect();
          if (this.stopping) {
            // `stop` ran while this attempt connected.
            await this.o.producer.disconnect();
            return;
          }
          this.connected = true;
          this.o.log.info({ topic: this.o.topic.name }, 'producer connected');
          return;
        } catch (err) {
          this.o.log.warn({ err, attempt, topic: this.o.topic.name }, 'kafka not reachable yet');
          await unrefSleep(this.o.retryDelayMs ?? 5000);
        }
      }
    })();
  }

  /** Sends one event and waits for the broker's acknowledgement; never throws. */
  publish(event: OrderEvent): Promise<void> {
    const p = this.send(event).finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
    return p;
  }

  private async send(event: OrderEvent): Promise<void> {
    const sc = trace.getActiveSpan()?.spanContext();
    const ids = sc !== undefined && trace.isSpanContextValid(sc) ? { traceId: sc.traceId, spanId: sc.spanId } : {};
    const topic = this.o.topic.name;
    try {
      // Sent even before the producer connected: kafkajs refuses at once, and that refusal is what the
      // producer span, the log line and the error counter show.
      await this.o.producer.send({ ...SEND_OPTIONS, topic, messages: [{ key: event.order, value: JSON.stringify(event) }] });
      this.o.metrics.messageSent({ topic, ...ids });
    } catch (err) {
      this.o.metrics.messageSent({ topic, errorType: errorType(err), ...ids });
      this.o.log.error({ err, topic, order: event.order, connected: this.connected }, 'order event not sent');
    }
  }

  /** Stops retrying, waits for the events being sent, then disconnects the producer. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
    if (this.connected) {
      await this.o.producer.disconnect();
      this.connected = false;
    }
    this.o.log.info({ topic: this.o.topic.name }, 'producer stopped');
  }
}
