/**
 * Test support: parse PromQL, LogQL and TraceQL with the upstream lezer grammars, report parse errors, and
 * pull the metric names out of PromQL. Grafana template variables are substituted first (the grammars do
 * not know `$service` or `$__rate_interval`).
 */
import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as traceqlParser } from '@grafana/lezer-traceql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';

export type QueryLanguage = 'promql' | 'logql' | 'traceql';

/** The three grammars are lezer LR parsers (typed via their own copies of @lezer/lr). */
type Parser = typeof promqlParser;
const PARSERS: Record<QueryLanguage, Parser> = {
  promql: promqlParser,
  logql: logqlParser as unknown as Parser,
  traceql: traceqlParser as unknown as Parser,
};

/**
 * Replaces Grafana's variables with values the grammars accept: interval variables with a duration,
 * `$__tags` (Tempo's trace-to-metrics/logs links expand it to `label="value", ...` inside a selector)
 * with one label matcher, everything else (`$service`, `${pod:regex}`, `${__span.traceId}`) with a plain
 * word (they only appear inside strings).
 */
export function substituteGrafanaVariables(query: string): string {
  return query
    // `${x}` or `$x`, never `$x}`: a bare variable can sit just before a selector's closing brace
    .replace(/\$\{__(rate_interval|interval|range|auto)(_ms|_s)?\}|\$__(rate_interval|interval|range|auto)(_ms|_s)?\b/g, '5m')
    .replace(/\$\{__tags\}|\$__tags\b/g, 'v_tag="v"')
    .replace(/\$\{([\w.]+)(:\w+)?\}/g, (_, name: string) => `v_${name.replace(/\./g, '_')}`)
    .replace(/\$(\w+)/g, 'v_$1');
}

/** Parse errors of a query, as `offset: "…context…"` strings; empty when the query parses. */
export function parseErrors(language: QueryLanguage, query: string): string[] {
  const errors: string[] = [];
  const tree = PARSERS[language].parse(query);
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(`${language} error at ${node.from}: "${query.slice(Math.max(0, node.from - 20), node.from)}⚠${query.slice(node.from, node.from + 20)}"`);
      }
    },
  });
  if (query.trim() === '') errors.push(`${language}: empty query`);
  return errors;
}

/** Metric names a PromQL query reads: selector names and `__name__="..."` matchers. */
export function promqlMetricNames(query: string): string[] {
  const names = new Set<string>();
  const tree = PARSERS.promql.parse(query);
  tree.iterate({
    enter(node) {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.add(query.slice(id.from, id.to));
      }
      if (node.name === 'UnquotedLabelMatcher' || node.name === 'LabelMatcher') {
        const text = query.slice(node.from, node.to);
        const m = /^__name__\s*=\s*"([^"]+)"$/.exec(text);
        if (m) names.add(m[1]);
      }
    },
  });
  return [...names].sort();
}

/** Each vector selector of a PromQL query: its metric name (when written as one) and its label matchers, spaces removed. */
export function promqlSelectors(query: string): Array<{ name?: string; matchers: string[] }> {
  const out: Array<{ name?: string; matchers: string[] }> = [];
  const tree = PARSERS.promql.parse(query);
  tree.iterate({
    enter(node) {
      if (node.name !== 'VectorSelector') return;
      const id = node.node.getChild('Identifier');
      const matchers: string[] = [];
      node.node.cursor().iterate((n) => {
        if (n.name === 'UnquotedLabelMatcher' || n.name === 'LabelMatcher') { matchers.push(query.slice(n.from, n.to).replace(/\s+/g, '')); return false; }
        return undefined;
      });
      out.push({ ...(id ? { name: query.slice(id.from, id.to) } : {}), matchers });
    },
  });
  return out;
}

/**
 * Grafana's `label_values(<selector>, <label>)` variable query: the selector as PromQL, or undefined for
 * the metric-less form `label_values(label)`.
 */
export function labelValuesSelector(query: string): string | undefined {
  const m = /^label_values\((.+),\s*\w+\)$/s.exec(query.trim());
  return m ? m[1] : undefined;
}

/**
 * The label names each selector with a metric name matches on (`foo{a="x", b!~"y"}` -> foo: a, b), to hold
 * queries to the labels the metrics catalog records for that metric.
 */
export function promqlSelectorMatchers(query: string): Array<{ metric: string; labels: string[] }> {
  const out: Array<{ metric: string; labels: string[] }> = [];
  PARSERS.promql.parse(query).iterate({
    enter(node) {
      if (node.name !== 'VectorSelector') return;
      const id = node.node.getChild('Identifier');
      if (!id) return;
      const labels: string[] = [];
      const matchers = node.node.getChild('LabelMatchers');
      for (let m = matchers?.firstChild; m; m = m.nextSibling) {
        const name = m.getChild('LabelName');
        if (name) labels.push(query.slice(name.from, name.to));
      }
      out.push({ metric: query.slice(id.from, id.to), labels });
    },
  });
  return out;
}
