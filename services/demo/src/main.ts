/**
 * Entry point: one image, four roles (`ROLE=frontend|backend|traffic|worker`).
 *
 * Tracing starts before the modules that use `node:http` or kafkajs are loaded, so the instrumentations
 * see them; those modules are therefore required below, not imported at the top.
 */
import { createLogger } from './logger';
import { loadSettings } from './settings';
import { startTelemetry } from './telemetry';
import { startOtlpSignals } from './otlp-signals';

async function main(): Promise<void> {
  const settings = loadSettings();
  // Metrics and logs over OTLP too, when OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER say so (otlp-signals.ts).
  const otlp = startOtlpSignals(settings.serviceName);
  const log = createLogger(settings.serviceName, settings.logLevel, otlp.logStream);
  const telemetry = startTelemetry(settings, log);

  const { MessagingMetrics, RedMetrics } = require('./metrics') as typeof import('./metrics');
  const { OtlpMessagingMetrics, OtlpRedMetrics, demoMeter } = require('./otlp-metrics') as typeof import('./otlp-metrics');
  const { startServer } = require('./server') as typeof import('./server');
  const { frontendRoutes } = require('./frontend') as typeof import('./frontend');
  const { backendRoutes } = require('./backend') as typeof import('./backend');
  const { startTraffic } = require('./traffic') as typeof import('./traffic');
  const kafka = require('./kafka') as typeof import('./kafka');
  const { OrderEvents } = require('./publisher') as typeof import('./publisher');
  const { OrderWorker } = require('./worker') as typeof import('./worker');

  const meter = otlp.meterProvider ? demoMeter(otlp.meterProvider) : undefined;
  const metrics = meter ? new OtlpRedMetrics(meter) : new RedMetrics();
  const messagingMetrics = () => (meter ? new OtlpMessagingMetrics(metrics.registries, meter) : new MessagingMetrics(metrics.registries));
  // The frontend publishes only when brokers are configured; the worker always has them (settings check).
  const client = settings.kafkaBrokers.length > 0 && (settings.role === 'frontend' || settings.role === 'worker')
    ? kafka.createKafka(settings, log)
    : undefined;
  const events = client !== undefined && settings.role === 'frontend'
    ? new OrderEvents({ producer: client.producer(kafka.PRODUCER_CONFIG), admin: client.admin(), topic: settings.topic, metrics: messagingMetrics(), log })
    : undefined;
  let stopRequested: ((reason: string) => void) | undefined;
  const worker = client !== undefined && settings.role === 'worker'
    ? new OrderWorker({
      consumer: client.consumer(kafka.consumerConfig(settings.consumerGroup)),
      admin: client.admin(),
      settings,
      metrics: messagingMetrics(),
      log,
      // kafkajs will not restart the consumer: stop cleanly with a failure code, and let Kubernetes restart the pod.
      onFatal: (err) => {
        log.error({ err }, 'consumer crashed for good');
        process.exitCode = 1;
        stopRequested?.('consumer crash');
      },
    })
    : undefined;

  const routes = settings.role === 'frontend' ? frontendRoutes(settings, events) : settings.role === 'backend' ? backendRoutes(settings) : [];
  const traffic = settings.role === 'traffic' ? startTraffic(settings, log) : undefined;
  const server = await startServer({
    host: settings.host,
    port: settings.port,
    routes,
    metrics,
    log,
    shutdownDelayMs: settings.shutdownDelayMs,
    shutdownTimeoutMs: settings.shutdownTimeoutMs,
    onDrained: async () => {
      await traffic?.stop();
      // The worker: no new messages, finish the ones in flight, commit their offsets, leave the group.
      await worker?.stop(settings.shutdownTimeoutMs);
      await events?.stop();
      // Exports the spans still queued in the batch processor. A collector that is down must not turn a
      // clean stop into a failed one: say so and exit normally.
      try {
        await telemetry.shutdown();
      } catch (err) {
        log.warn({ err }, 'spans not flushed');
      }
      try {
        await otlp.shutdown();
      } catch (err) {
        // The OTLP log exporter may be what failed: stderr is the one channel left.
        process.stderr.write(`obs-stack-demo: OTLP metrics or logs not flushed: ${String(err)}\n`);
      }
    },
  });
  events?.start();
  log.info({
    role: settings.role,
    port: server.port,
    exporter: telemetry.exporter,
    metrics_exporter: otlp.exporters.metrics,
    logs_exporter: otlp.exporters.logs,
    ...(settings.role === 'backend' || settings.role === 'worker' ? { error_ratio: settings.errorRatio, latency_ms: settings.latencyMs, jitter_ms: settings.jitterMs, slow_step_ms: settings.slowStepMs } : {}),
    ...(settings.role === 'frontend' ? { backend: settings.backendUrl } : {}),
    ...(client !== undefined ? { kafka: settings.kafkaBrokers.join(','), topic: settings.topic.name } : {}),
    ...(settings.role === 'worker' ? { group: settings.consumerGroup } : {}),
  }, 'listening');

  const stop = (reason: string) => {
    server.shutdown(reason).then(
      () => process.exit(),
      (err: unknown) => { log.error({ err }, 'shutdown failed'); process.exit(1); },
    );
  };
  stopRequested = stop;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop(signal));
  // After the listener is up, so probes answer while the worker waits for Kafka.
  await worker?.start();
}

main().catch((err: unknown) => {
  // Before the logger exists (a bad setting) this is the only way to say why.
  process.stderr.write(`obs-stack-demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
