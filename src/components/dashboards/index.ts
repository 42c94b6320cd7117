/**
 * The stack's Grafana dashboards as JSON files (file name -> JSON text), for the Grafana chart's
 * `dashboards` prop (provisioned into the GRAFANA_FOLDER folder). Pure and deterministic.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { LogAgentKind } from '../../config/types';
import { memoByInput } from '../../lib/memo';
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

/** File name -> dashboard JSON, for the Grafana chart's `dashboards` prop (built once per distinct input). */
export const renderDashboards: (input: DashboardsInput) => Record<string, string> = memoByInput(
  (input: DashboardsInput) => Object.fromEntries(Object.entries(buildDashboards(input)).map(([file, d]) => [file, `${JSON.stringify(d, null, 2)}\n`])),
);
