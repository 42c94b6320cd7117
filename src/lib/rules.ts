/**
 * `alerts.extraRuleGroups`: the user's own recording and alerting rules, in Prometheus's rule-file shape
 * (`groups[].rules[]`, keys in camelCase), written to their own file (`extra.rules.yaml`) next to the
 * stack's and checked the same way: here every expression is parsed with Prometheus's own PromQL grammar
 * (the lezer grammar its UI uses) before anything is written; the test suite runs `promtool check rules`
 * on every rule file of the output.
 */
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { z } from 'zod';
import {
  duration, hasInvisible, isPromLabelName, list, obj, positiveInt, printable, report, stringMap, text, uniqueBy,
} from '../../config/fields';
import { toYaml } from '../../lib/yaml';

/** The file the extra groups are written to, beside `red.rules.yaml` and `alerts.rules.yaml`. */
export const EXTRA_RULE_FILE = 'extra.rules.yaml';

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
