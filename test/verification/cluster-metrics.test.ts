/**
 * Every metric a PromQL query of the output reads is exported by a component that is enabled in that
 * config (the metrics catalog's provenance: `enabledMetricSources`), and every label a selector matches on is
 * one the catalog records for that metric and those components.
 *
 * One known exception, outside cluster monitoring: `red.rules.yaml` records the RED series of trace-only
 * services from Tempo's span metrics whether or not Tempo runs (the rules file is rendered whole); with Tempo
 * off those two expressions read series nobody writes and record nothing.
 */
import { SPAN_METRICS } from '../../src/components/tempo/metrics';
import { catalogNames, enabledMetricSources, knownLabels } from '../../src/lib/metrics-catalog';
import { RULE_FILE_NAMES } from '../../src/lib/rules';
import { checkMetricNames, extractQueries, formatProblems } from '../support/checks';
import type { Problem } from '../support/checks/problem';
import { promqlSelectorMatchers, substituteGrafanaVariables } from '../support/queries';
import { CONFIG_LABELS, configNamed } from './configs';
import { brokenObjects } from './helpers';

const EXEMPT = { file: RULE_FILE_NAMES.red, metrics: [SPAN_METRICS.calls, `${SPAN_METRICS.latency}_bucket`] };
const exempt = (p: Problem) => p.path.includes(`/data/${EXEMPT.file}#`) && EXEMPT.metrics.some((m) => p.message.includes(`metric ${m} `));

function labelProblems(label: string): string[] {
  const c = configNamed(label);
  const sources = enabledMetricSources(c.config);
  return extractQueries(c.objects).filter((q) => q.language === 'promql').flatMap((q) => promqlSelectorMatchers(substituteGrafanaVariables(q.query))
    .flatMap(({ metric, labels }) => {
      const allowed = knownLabels(metric, sources);
      return allowed === undefined ? [] : labels.filter((l) => !allowed.has(l)).map((l) => `${q.object} ${q.path}: ${metric} has no label ${l}`);
    }));
}

describe('queries read what the enabled components export', () => {
  it.each(CONFIG_LABELS)('%s: every metric of every dashboard and rule query comes from an enabled component', (label) => {
    const c = configNamed(label);
    const problems = checkMetricNames(c.objects, catalogNames(enabledMetricSources(c.config))).filter((p) => !exempt(p));
    expect(formatProblems(problems)).toBe('');
  });

  it.each(CONFIG_LABELS)('%s: every label a selector matches on is one the metric has', (label) => {
    expect(labelProblems(label)).toEqual([]);
  });

  it('fails on a query reading a component that is switched off (the check can fail)', () => {
    const c = configNamed('dev');
    const off = enabledMetricSources({ ...c.config, kubeStateMetrics: { ...c.config.kubeStateMetrics, enabled: false } });
    const problems = checkMetricNames(c.objects, catalogNames(off)).filter((p) => !exempt(p));
    expect(problems.some((p) => p.message.includes('metric kube_pod_info '))).toBe(true);
  });

  it('fails on a selector matching a label the metric does not have (the check can fail)', () => {
    const objects = brokenObjects('ConfigMap', 'prometheus-rules', (cm) => {
      cm.data!['kubernetes.rules.yaml'] = cm.data!['kubernetes.rules.yaml'].replace('kube_job_failed{condition="true"}', 'kube_job_failed{job_status="true"}');
    }, 'dev');
    const sources = enabledMetricSources(configNamed('dev').config);
    const bad = extractQueries(objects).flatMap((q) => promqlSelectorMatchers(q.query)
      .filter((m) => m.metric === 'kube_job_failed' && m.labels.some((l) => !knownLabels(m.metric, sources)!.has(l))));
    expect(bad).toHaveLength(1);
  });
});
