/** The stack's Prometheus rule files, for the jobs that are scraped. */
import type { StackConfig } from '../../config/types';
import { DASHBOARD_UIDS, dashboardPath } from '../dashboards';
import { renderRuleFilesYaml, type StackJob } from './rules';

/** Prometheus rule files (recording rules always; alerts when `alerts.enabled`). */
export function ruleFilesFor(cfg: StackConfig, componentJobs: readonly StackJob[]): Record<string, string> {
  return renderRuleFilesYaml({
    alertsEnabled: cfg.alerts.enabled,
    thresholds: cfg.alerts.thresholds,
    componentJobs,
    logAgent: cfg.loki.enabled ? cfg.logAgent : undefined,
    notifiesAlertmanagers: cfg.alerts.enabled && (cfg.alerts.alertmanagers.length > 0 || cfg.alertmanager.enabled), // in-stack too (#19)
    dashboardPaths: { services: dashboardPath(DASHBOARD_UIDS.services), stackHealth: dashboardPath(DASHBOARD_UIDS.stackHealth) },
  });
}
