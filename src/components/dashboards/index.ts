/**
 * The stack's Grafana dashboards as JSON files (file name -> JSON text), for the Grafana chart's
 * `dashboards` prop (provisioned into the GRAFANA_FOLDER folder). Pure and deterministic.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { LogAgentKind, StackConfig } from '../../config/types';
import { effectiveRetentionSize } from '../prometheus/retention';
import { containersDashboard } from './containers';
import { servicesDashboard } from './services-red';
import { stackHealthDashboard } from './stack-health';

export { DASHBOARD_UIDS, DASHBOARD_TAG, dashboardPath } from './common';

export interface DashboardsInput {
  /** Traces slower than this (seconds) are listed as slow on the Services dashboard. */
  readonly slowTraceSeconds: number;
  /** Scrape jobs of the deployed stack components. */
  readonly componentJobs: readonly string[];
  readonly logAgent: LogAgentKind;
  /** cAdvisor reports OOM kills (it runs privileged). */
  readonly oomEvents: boolean;
  readonly retention: { readonly prometheusTime: string; readonly prometheusSize: string; readonly loki: string; readonly tempo: string };
}

export const DASHBOARD_FILES = {
  services: 'services-red.json',
  containers: 'containers.json',
  stackHealth: 'stack-health.json',
} as const;

/** The dashboards as built objects (tests inspect these). */
export function buildDashboards(input: DashboardsInput): Record<string, dashboard.Dashboard> {
  return {
    [DASHBOARD_FILES.services]: servicesDashboard({ slowTraceSeconds: input.slowTraceSeconds }),
    [DASHBOARD_FILES.containers]: containersDashboard({ oomEvents: input.oomEvents }),
    [DASHBOARD_FILES.stackHealth]: stackHealthDashboard({ componentJobs: input.componentJobs, logAgent: input.logAgent, retention: input.retention }),
  };
}

/** File name -> dashboard JSON, for the Grafana chart's `dashboards` prop. */
export function renderDashboards(input: DashboardsInput): Record<string, string> {
  return Object.fromEntries(Object.entries(buildDashboards(input)).map(([file, d]) => [file, `${JSON.stringify(d, null, 2)}\n`]));
}

/** The stack's dashboards (file name -> JSON) for the jobs that are scraped, the same for both outputs. */
export function dashboardsFor(cfg: StackConfig, componentJobs: readonly string[]): Record<string, string> {
  return renderDashboards({
    slowTraceSeconds: cfg.alerts.thresholds.latencyP99Seconds,
    componentJobs,
    logAgent: cfg.logAgent,
    oomEvents: cfg.cadvisor.enabled && cfg.cadvisor.privileged,
    retention: {
      prometheusTime: cfg.prometheus.retention,
      prometheusSize: effectiveRetentionSize(cfg.prometheus),
      loki: cfg.loki.retention,
      tempo: cfg.tempo.retention,
    },
  });
}
