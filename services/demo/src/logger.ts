/**
 * JSON logs on stdout, one object per line, shaped for the log agents: `level` as a word, `msg`, and the
 * active span's `trace_id` and `span_id` on every line written while a request is being handled (which
 * is what lets Grafana jump from a log line to its trace).
 */
import { context, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** The field names; they match obs-stack's LOG_FIELDS (src/lib/signals.ts). */
export const LOG_FIELDS = { traceId: 'trace_id', spanId: 'span_id', level: 'level', message: 'msg' } as const;

/** Trace context of the active span, or nothing outside a request. */
export function traceFields(): Record<string, string> {
  const span = trace.getSpan(context.active());
  const sc = span?.spanContext();
  if (!sc || !trace.isSpanContextValid(sc)) return {};
  return { [LOG_FIELDS.traceId]: sc.traceId, [LOG_FIELDS.spanId]: sc.spanId };
}

export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    messageKey: LOG_FIELDS.message,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    // pino writes numeric levels by default; the agents and Grafana expect the word.
    formatters: { level: (label) => ({ [LOG_FIELDS.level]: label }) },
    mixin: traceFields,
  }, destination ?? pino.destination({ dest: 1, sync: true }));
}
