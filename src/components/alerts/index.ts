/** The stack's Prometheus rule files, for the jobs that are scraped. */
import type { StackConfig } from '../../config/types';
import { DASHBOARD_UIDS, clusterDashboardPaths, dashboardPath } from '../dashboards';
import { renderRuleFilesYaml, type StackJob } from './rules';
import { enabledMetricSources } from '../../lib/metrics-catalog';
import { renderClusterRuleFile } from './kubernetes';
import { renderExtraRuleFile } from './rule-groups';

/** Prometheus rule files (recording rules always; alerts when `alerts.enabled`; the user's extra groups). */
export function ruleFilesFor(cfg: StackConfig, componentJobs: readonly StackJob[]): Record<string, string> {
  return {
    ...stackRuleFiles(cfg, componentJobs),
    // Cluster monitoring (#18): recording rules and alerts of the cluster (kubernetes.rules.yaml).
    ...renderClusterRuleFile({
      alertsEnabled: cfg.alerts.enabled, sources: enabledMetricSources(cfg), runbookBaseUrl: cfg.kubernetes.runbookBaseUrl,
      downFor: cfg.alerts.thresholds.downFor, dashboardPaths: clusterDashboardPaths(),
    }),
    ...renderExtraRuleFile(cfg.alerts.extraRuleGroups),
  };
}

function stackRuleFiles(cfg: StackConfig, componentJobs: readonly StackJob[]): Record<string, string> {
  return renderRuleFilesYaml({
    alertsEnabled: cfg.alerts.enabled,
    thresholds: cfg.alerts.thresholds,
    componentJobs,
    logAgent: cfg.loki.enabled ? cfg.logAgent : undefined,
    notifiesAlertmanagers: cfg.alerts.enabled && cfg.alerts.alertmanagers.length > 0,
    dashboardPaths: { services: dashboardPath(DASHBOARD_UIDS.services), stackHealth: dashboardPath(DASHBOARD_UIDS.stackHealth) },
  });
}
