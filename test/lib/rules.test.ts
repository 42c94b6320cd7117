/**
 * `alerts.extraRuleGroups`: the user's groups in `extra.rules.yaml`, mounted with the stack's rule files,
 * every expression parsed with Prometheus's PromQL grammar before anything is written, and the file
 * accepted by promtool (the harness the stack's own rules go through).
 */
import { load } from 'js-yaml';
import { ruleFilesFor } from '../../src/components/content';
import { EXTRA_RULE_FILE, promqlProblem, renderExtraRuleFile } from '../../src/lib/rules';
import { resolveEnvironment } from '../../src/config/resolve';
import type { RuleGroupSpec } from '../../src/config/types';
import { findPrometheus, itWithTool, promtool } from '../support/checks';
import { buildEnv, objectsOf } from '../support/synth';

const GROUPS: RuleGroupSpec[] = [
  {
    name: 'checkout', interval: '1m', limit: 50,
    rules: [
      { record: 'job:http_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total[5m]))', labels: { team: 'checkout' } },
      {
        alert: 'CheckoutErrors', expr: 'sum(rate(http_requests_total{status=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05',
        for: '10m', keepFiringFor: '5m', labels: { severity: 'warning' },
        annotations: { summary: 'Checkout errors above 5%', description: 'Error ratio {{ $value | humanizePercentage }}; costs $$ per minute.' },
      },
    ],
  },
];

describe('extra rule groups', () => {
  it('parse PromQL with Prometheus\'s grammar: position and context of the first error', () => {
    expect(promqlProblem('sum by (job) (rate(x[5m]))')).toBeUndefined();
    expect(promqlProblem('histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))) > 1')).toBeUndefined();
    expect(promqlProblem('sum(rate(x[5m])')).toMatch(/^does not parse at character \d+: "sum\(rate\(x\[5m\]\)⚠"$/);
    expect(promqlProblem('up ==')).toMatch(/^does not parse at character/);
    expect(promqlProblem('   ')).toBe('is empty');
  });

  it('are written with upstream keys to their own file, next to the stack\'s', () => {
    const env = resolveEnvironment({ name: 't', profile: 'prod', overrides: { alerts: { extraRuleGroups: GROUPS } } });
    const files = ruleFilesFor(env.config, [{ job: 'prometheus', title: 'Prometheus' }]);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['red.rules.yaml', 'alerts.rules.yaml', EXTRA_RULE_FILE]));
    expect(load(files[EXTRA_RULE_FILE])).toEqual({
      groups: [{
        name: 'checkout', interval: '1m', limit: 50,
        rules: [
          { record: 'job:http_requests:rate5m', expr: GROUPS[0].rules[0].expr, labels: { team: 'checkout' } },
          { alert: 'CheckoutErrors', expr: GROUPS[0].rules[1].expr, for: '10m', keep_firing_for: '5m', labels: { severity: 'warning' }, annotations: GROUPS[0].rules[1].annotations },
        ],
      }],
    });
    expect(renderExtraRuleFile([])).toEqual({});
  });

  it('reach the Prometheus pod through the rules ConfigMap; recording rules only with alerts disabled', () => {
    const objects = objectsOf(buildEnv('dev', { alerts: { enabled: false, extraRuleGroups: [{ name: 'rec', rules: [GROUPS[0].rules[0]] }] } }));
    const files = findPrometheus(objects)[0].ruleFiles;
    expect(Object.keys(files)).toContain(EXTRA_RULE_FILE);
    expect(files['alerts.rules.yaml']).toBeUndefined();
  });

  itWithTool('promtool')('pass promtool check rules, and promtool refuses what the grammar check lets through', () => {
    const text = renderExtraRuleFile(GROUPS)[EXTRA_RULE_FILE];
    const r = promtool(['check', 'rules', EXTRA_RULE_FILE], { [EXTRA_RULE_FILE]: text });
    expect(`${r.ok} ${r.output}`).toMatch(/^true .*SUCCESS: 2 rules found/s);
    // A template error is Prometheus's to find (the config check only balances the braces).
    const bad = renderExtraRuleFile([{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', annotations: { summary: '{{ $labels.pod | nosuchfunc }}' } }] }])[EXTRA_RULE_FILE];
    expect(promtool(['check', 'rules', EXTRA_RULE_FILE], { [EXTRA_RULE_FILE]: bad }).ok).toBe(false);
  });
});
