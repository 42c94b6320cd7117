/**
 * Entry point: one image, three roles (`ROLE=frontend|backend|traffic`).
 *
 * Tracing starts before the modules that use `node:http` are loaded, so the HTTP instrumentation sees
 * them; those modules are therefore required below, not imported at the top.
 */
import { createLogger } from './logger';
import { loadSettings } from './settings';
import { SERVICE_VERSION, startTelemetry } from './telemetry';
import { startOtlpSignals } from './otlp-signals';

async function main(): Promise<void> {
  const settings = loadSettings();
  // Metrics and logs over OTLP too, when OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER say so (otlp-signals.ts).
  const otlp = startOtlpSignals(settings.serviceName, SERVICE_VERSION);
  const log = createLogger(settings.serviceName, settings.logLevel, otlp.logStream);
  const telemetry = startTelemetry(settings, log);

  /* eslint-disable @typescript-eslint/no-require-imports */
  const { RedMetrics } = require('./metrics') as typeof import('./metrics');
  const { OtlpRedMetrics } = require('./otlp-metrics') as typeof import('./otlp-metrics');
  const { startServer } = require('./server') as typeof import('./server');
  const { frontendRoutes } = require('./frontend') as typeof import('./frontend');
  const { backendRoutes } = require('./backend') as typeof import('./backend');
  const { startTraffic } = require('./traffic') as typeof import('./traffic');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const routes = settings.role === 'frontend' ? frontendRoutes(settings) : settings.role === 'backend' ? backendRoutes(settings) : [];
  const traffic = settings.role === 'traffic' ? startTraffic(settings, log) : undefined;
  const server = await startServer({
    host: settings.host,
    port: settings.port,
    routes,
    metrics: otlp.meterProvider ? new OtlpRedMetrics(otlp.meterProvider) : new RedMetrics(),
    log,
    shutdownDelayMs: settings.shutdownDelayMs,
    shutdownTimeoutMs: settings.shutdownTimeoutMs,
    onDrained: async () => {
      await traffic?.stop();
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
        process.stderr.write(`obs-stack-demo: OTLP metrics or logs not flushed: ${String(err)}\n`);
      }
    },
  });
  log.info({
    role: settings.role,
    port: server.port,
    exporter: telemetry.exporter,
    metrics_exporter: otlp.exporters.metrics,
    logs_exporter: otlp.exporters.logs,
    ...(settings.role === 'backend' ? { error_ratio: settings.errorRatio, latency_ms: settings.latencyMs, jitter_ms: settings.jitterMs, slow_step_ms: settings.slowStepMs } : {}),
    ...(settings.role === 'frontend' ? { backend: settings.backendUrl } : {}),
  }, 'listening');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.shutdown(signal).then(
        () => process.exit(0),
        (err: unknown) => { log.error({ err }, 'shutdown failed'); process.exit(1); },
      );
    });
  }
}

main().catch((err: unknown) => {
  // Before the logger exists (a bad setting) this is the only way to say why.
  process.stderr.write(`obs-stack-demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
