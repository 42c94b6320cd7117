/**
 * The Watchdog: an alert that always fires while Prometheus evaluates rules and reaches Alertmanager.
 * Routed to a dead man's switch (`alertmanager.watchdog.receiver`), its heartbeats stopping is the alert
 * that the alerting path itself is broken. Its own rule file, apart from the stack's alerts.
 */
import { toYaml } from '../../lib/yaml';
import { WATCHDOG_ALERT } from './alertmanager-config';

export const WATCHDOG_RULE_FILE = 'watchdog.rules.yaml';

export const WATCHDOG_RULE = {
  alert: WATCHDOG_ALERT,
  expr: 'vector(1)',
  // `none`: no inhibition rule or severity route takes it.
  labels: { severity: 'none' },
  annotations: {
    summary: 'The alerting pipeline is working (always firing)',
    description: 'Fires as long as Prometheus evaluates rules and delivers alerts. Route it to a dead man\'s switch: its notifications stopping means alerting is broken.',
  },
} as const;

/** The Watchdog rule file (name -> YAML) for Prometheus's rules. */
export function watchdogRuleFiles(): Record<string, string> {
  return { [WATCHDOG_RULE_FILE]: toYaml({ groups: [{ name: 'obs-stack.watchdog', rules: [{ ...WATCHDOG_RULE, labels: { ...WATCHDOG_RULE.labels }, annotations: { ...WATCHDOG_RULE.annotations } }] }] }) };
}
