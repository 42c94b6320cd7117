/**
 * Prometheus rules as typed data, with upstream key names
 * (https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/): the rule types, the stack's
 * rule files and how the components' contributions are joined into them, and `alerts.extraRuleGroups`, the
 * user's own groups.
 *
 * The user's groups use Prometheus's rule-file shape (`groups[].rules[]`, keys in camelCase), are written to
 * their own file (`extra.rules.yaml`) next to the stack's and checked the same way: here every expression is
 * parsed with Prometheus's own PromQL grammar (the lezer grammar its UI uses) before anything is written;
 * the test suite runs `promtool check rules` on every rule file of the output.
 */
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import * as z from 'zod';
import {
  duration, hasInvisible, isPromLabelName, list, obj, positiveInt, printable, report, stringMap, text, uniqueBy,
} from '../config/fields';
import { memoByInput } from './memo';
import { toYaml } from './yaml';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels: { severity: 'critical' | 'warning' | 'info' | 'none' } & Record<string, string>;
  annotations: { summary: string; description: string } & Record<string, string>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export interface RuleFile {
  groups: RuleGroup[];
}

/** A stack component the alerts watch: its scrape job, and its name as the alert summaries write it. */
export interface StackJob {
  readonly job: string;
  readonly title: string;
}

/** The stack's shared rule files, written first, in this order. */
export const RULE_FILE_NAMES = {
  /** Recording rules of the services' RED series: always (the Services dashboard reads them). */
  red: 'red.rules.yaml',
  /** The stack's alerts, when `alerts.enabled`. */
  alerts: 'alerts.rules.yaml',
} as const;

/** The always-firing alert; the component that receives alerts may route it to a dead man's switch. */
export const WATCHDOG_ALERT = 'Watchdog';

/** The file the extra groups are written to, beside the stack's. */
export const EXTRA_RULE_FILE = 'extra.rules.yaml';

/** The stack's alert group in `alerts.rules.yaml`, written in parts: a component's rules go to one of them. */
export const STACK_ALERTS = {
  group: 'obs-stack.stack',
  /** In file order: is every component scraped; is a store discarding data; are rules evaluated, stored and delivered; are logs shipped. */
  parts: ['targets', 'discards', 'evaluation', 'shipping'],
} as const;

export type StackAlertPart = (typeof STACK_ALERTS.parts)[number];

/** Rules a component adds to a group of a rule file. Contributions to one group are joined. */
export interface RuleContribution {
  readonly file: string;
  readonly group: string;
  /** Where the rules go in the stack's alert group; registry order within a part. @default - the group's only part */
  readonly part?: StackAlertPart;
  readonly rules: readonly Rule[];
}

/** A component's rules in a part of the stack's alert group: when alerts are on and its job is scraped. */
export function stackAlerts(alertsEnabled: boolean, jobs: readonly StackJob[], job: string, part: StackAlertPart,
  rules: (title: string) => AlertingRule[]): RuleContribution[] {
  const scraped = jobs.find((j) => j.job === job);
  if (!alertsEnabled || scraped === undefined) return [];
  return [{ file: RULE_FILE_NAMES.alerts, group: STACK_ALERTS.group, part, rules: rules(scraped.title) }];
}

const partIndex = (c: RuleContribution) => (c.part === undefined ? 0 : STACK_ALERTS.parts.indexOf(c.part));

/**
 * The rule files of the contributions (in registry order): the shared files in RULE_FILE_NAMES order, then a
 * component's own files; groups in the order they first appear, each group's rules by part.
 */
export function joinRuleFiles(contributions: readonly RuleContribution[]): Record<string, RuleFile> {
  const fileOrder: readonly string[] = Object.values(RULE_FILE_NAMES);
  const rank = (file: string) => (fileOrder.includes(file) ? fileOrder.indexOf(file) : fileOrder.length);
  const files: Record<string, RuleFile> = {};
  const sorted = [...contributions].sort((a, b) => rank(a.file) - rank(b.file) || partIndex(a) - partIndex(b));
  for (const c of sorted) {
    const file = (files[c.file] ??= { groups: [] });
    let group = file.groups.find((g) => g.name === c.group);
    if (group === undefined) file.groups.push(group = { name: c.group, rules: [] });
    group.rules.push(...c.rules);
  }
  return files;
}

/** The rule files as YAML text, as the rule evaluator loads them (rendered once per distinct input). */
export const renderRuleFiles: (files: Record<string, RuleFile>) => Record<string, string> = memoByInput(
  (files: Record<string, RuleFile>) => Object.fromEntries(Object.entries(files).map(([name, file]) => [name, toYaml(file)])),
);

/** Every PromQL expression of a set of rule files (for tests and linting). */
export function ruleExpressions(files: Record<string, RuleFile>): string[] {
  return Object.values(files).flatMap((f) => f.groups.flatMap((g) => g.rules.map((r) => r.expr)));
}

/** Where a PromQL expression does not parse (`at <offset>: "…⚠…"`), or undefined when it does. */
export function promqlProblem(expr: string): string | undefined {
  if (expr.trim() === '') return 'is empty';
  let at: number | undefined;
  promqlParser.parse(expr).iterate({
    enter(node) {
      if (at === undefined && node.type.isError) at = node.from;
      return at === undefined;
    },
  });
  if (at === undefined) return undefined;
  return `does not parse at character ${at + 1}: "${expr.slice(Math.max(0, at - 20), at)}⚠${expr.slice(at, at + 20)}"`;
}

const expression = text(['must be a string', 'write the PromQL expression in quotes, e.g. "up == 0"'], (v) => {
  const why = promqlProblem(v);
  return why === undefined ? undefined : [`is not PromQL: it ${why}`, 'fix the expression (Prometheus\'s PromQL syntax), e.g. "sum by (job) (rate(http_requests_total[5m])) > 1"'];
});

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Label or annotation values of a rule: Go templates allowed (`{{ $labels.pod }}`), braces balanced. */
const templateText = printable('{{ $labels.pod }} is down', { empty: true }).superRefine((v, ctx) => {
  if (v.split('{{').length !== v.split('}}').length) report(ctx, [], v, 'has unbalanced "{{" and "}}"', 'close every template action, e.g. "{{ $labels.pod }}"', true);
});

function ruleLabels(what: 'label' | 'annotation') {
  return stringMap((key) => {
    if (!isPromLabelName(key) || key.startsWith('__')) return [`is not a valid ${what} name`, 'use letters, digits and "_", not starting with "__", e.g. "severity"'];
    return undefined;
  }, templateText, what === 'label' ? '{ severity: "warning" }' : '{ summary: "{{ $labels.pod }} is down" }');
}

/** One rule: `record` (a recording rule) or `alert` (an alerting rule), with Prometheus's own rules per kind. */
const ruleSchema = obj({
  /** `record`: the name of the series the rule writes (a metric name, e.g. `job:http_requests:rate5m`). */
  record: text(['must be a string', 'use a metric name, e.g. "job:http_requests:rate5m"'],
    (v) => (METRIC_NAME.test(v) ? undefined : ['is not a metric name', 'use letters, digits, "_" and ":", e.g. "job:http_requests:rate5m"'])).optional(),
  /** `alert`: the alert's name, e.g. `PaymentsDown`. */
  alert: text(['must be a string', 'use e.g. "PaymentsDown"'], (v) => {
    if (v.trim() === '' || hasInvisible(v)) return ['is not an alert name', 'use visible characters, e.g. "PaymentsDown"'];
    return undefined;
  }).optional(),
  /** `expr`: PromQL. */
  expr: expression,
  /** `for` (alerts only): how long the condition holds before the alert fires. @default - at once */
  for: duration('5m').optional(),
  /** `keep_firing_for` (alerts only). @default - resolves at once */
  keepFiringFor: duration('5m').optional(),
  labels: ruleLabels('label').optional(),
  /** `annotations` (alerts only), e.g. `summary`, `description`, `runbook_url`. */
  annotations: ruleLabels('annotation').optional(),
}).superRefine((r, ctx) => {
  if (r.record === undefined && r.alert === undefined) {
    report(ctx, ['alert'], r.alert, 'is missing, and so is record', 'set alert: "<name>" for an alerting rule or record: "<metric>" for a recording rule');
  } else if (r.record !== undefined && r.alert !== undefined) {
    report(ctx, ['record'], r.record, 'is set together with alert', 'one rule is either an alert or a recording; split it in two');
  } else if (r.record !== undefined) {
    for (const key of ['for', 'keepFiringFor', 'annotations'] as const) {
      if (r[key] !== undefined) report(ctx, [key], r[key], 'is for alerting rules only', `remove ${key}, or make the rule an alert`);
    }
  }
}).readonly();

/** One rule group: a name, rules evaluated in order, an optional interval and limit. */
export const ruleGroupSchema = obj({
  /** `name`: unique among the extra groups. */
  name: printable('payments'),
  /** `interval`. @default - prometheus.evaluationInterval */
  interval: duration('1m').optional(),
  /** `limit`: the most alerts (or series) one evaluation may produce; more fails the rule. @default - none */
  limit: positiveInt(100).optional(),
  rules: list(ruleSchema, '[{ alert: "PaymentsDown", expr: "up{job=\\"payments\\"} == 0", for: "5m" }]').superRefine((rules, ctx) => {
    if (rules.length === 0) report(ctx, [], rules, 'is empty', 'add a rule, or remove the group');
  }),
}).readonly();

export type RuleGroupSpec = z.infer<typeof ruleGroupSchema>;

export const extraRuleGroupsSchema = list(ruleGroupSchema, '[{ name: "payments", rules: [{ alert: "PaymentsDown", expr: "up{job=\\"payments\\"} == 0" }] }]')
  .superRefine(uniqueBy((g) => g.name, 'is used by another of alerts.extraRuleGroups', 'give each group its own name', 'name'));

/** Whether a group holds an alerting rule. */
export function hasAlerts(groups: readonly RuleGroupSpec[]): boolean {
  return groups.some((g) => g.rules.some((r) => r.alert !== undefined));
}

/** The extra groups as a rule file (upstream keys), or nothing when there are none. */
export function renderExtraRuleFile(groups: readonly RuleGroupSpec[]): Record<string, string> {
  if (groups.length === 0) return {};
  return {
    [EXTRA_RULE_FILE]: toYaml({
      groups: groups.map((g) => ({
        name: g.name,
        ...(g.interval !== undefined ? { interval: g.interval } : {}),
        ...(g.limit !== undefined ? { limit: g.limit } : {}),
        rules: g.rules.map((r) => ({
          ...(r.record !== undefined ? { record: r.record } : { alert: r.alert }),
          expr: r.expr,
          ...(r.for !== undefined ? { for: r.for } : {}),
          ...(r.keepFiringFor !== undefined ? { keep_firing_for: r.keepFiringFor } : {}),
          ...(r.labels !== undefined ? { labels: { ...r.labels } } : {}),
          ...(r.annotations !== undefined ? { annotations: { ...r.annotations } } : {}),
        })),
      })),
    }),
  };
}
