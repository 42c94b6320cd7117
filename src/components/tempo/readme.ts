/** Tempo's part of the environment's README: how an application sends it traces. */
import { API_PATHS } from '../../lib/endpoints';
import { otlpGrpcEndpoint, otlpHttpEndpoint } from './endpoints';
import type { OwnTelemetry, StackBuild } from '../component';
import { stackReceiver } from '../../lib/receivers';

/** OTLP straight to Tempo, unless a component takes every signal over OTLP (its own section says so). */
export function tempoOwnTelemetry(build: StackBuild): OwnTelemetry | undefined {
  const cfg = build.env.config;
  if (stackReceiver('otlp-http', cfg, build.endpoints) !== undefined) return undefined;
  const r = cfg.tempo.receivers;
  const out = ['**Traces**: OpenTelemetry over OTLP to Tempo. Tempo accepts traces only, so turn the SDK\'s metric and log exporters off ' +
    '(metrics are scraped, logs collected as above), or give it the traces endpoint alone:', '', '```sh'];
  if (r.otlpHttp) {
    out.push(`OTEL_EXPORTER_OTLP_ENDPOINT=${otlpHttpEndpoint(build.endpoints)}`, 'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
      'OTEL_METRICS_EXPORTER=none', 'OTEL_LOGS_EXPORTER=none',
      `# or only the traces endpoint: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${otlpHttpEndpoint(build.endpoints)}${API_PATHS.otlpHttpTraces}`);
  }
  if (r.otlpGrpc) out.push(`${r.otlpHttp ? '# or gRPC: ' : ''}OTEL_EXPORTER_OTLP_ENDPOINT=${otlpGrpcEndpoint(build.endpoints)}${r.otlpHttp ? '' : '\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc'}`);
  out.push('```', '', 'Set `service.name` (`OTEL_SERVICE_NAME`) to the pod\'s `app.kubernetes.io/name` label: that is the `service` label ' +
    'of its metrics and logs, so the Services dashboard and the trace ↔ logs links line up.', '');
  return { signal: 'traces', lines: out };
}
