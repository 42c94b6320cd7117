/** Prometheus's part of the environment's README: how an application gets its metrics scraped. */
import type { StackConfig } from '../../config/types';
import type { OwnTelemetry } from '../component';

/** The pod annotations the annotated-pods job follows (`prometheus.scrapeAnnotatedPods`). */
export function annotatedPodsTelemetry(cfg: StackConfig): OwnTelemetry | undefined {
  if (!cfg.prometheus.scrapeAnnotatedPods) return undefined;
  return {
    signal: 'metrics',
    lines: ['**Metrics**: annotate the pod template; Prometheus scrapes annotated pods in every namespace.', '', '```yaml',
      'metadata:', '  annotations:', '    prometheus.io/scrape: "true"', '    prometheus.io/port: "8080"      # the container port serving metrics',
      '    prometheus.io/path: /metrics     # optional, /metrics by default', '```', ''],
  };
}
