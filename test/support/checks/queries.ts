/**
 * Queries: every PromQL, LogQL and TraceQL string the output carries, parsed with the upstream lezer
 * grammars (test/support/queries.ts), after Grafana's variables are substituted.
 *
 * Where queries are found (by shape, in every ConfigMap):
 * - Prometheus rule files: YAML with `groups[].rules[].expr` (PromQL).
 * - Dashboards (`.json` with `panels`, rows' nested panels included): target `expr` (PromQL or LogQL)
 *   and `query` (TraceQL), the language taken from the target's datasource, else the panel's, else the
 *   default datasource, looked up by uid among the provisioned datasources (the `type` written in the
 *   reference is the fallback for a uid that is not provisioned; the correlation check reports that);
 *   annotation queries; `query` variables (`label_values(<selector>, label)` contributes its selector,
 *   `query_result(<expr>)` its expression, Loki's variable editor object its `stream`).
 * - Datasource provisioning: Tempo's `tracesToMetrics.queries[].query` (PromQL) and, when
 *   `tracesToLogsV2.customQuery` is on, its `query` (LogQL). `$$` is unescaped first (provisioning's
 *   escape for `$`). Loki's `derivedFields` are regexes, not queries, and are not parsed here.
 *
 * `checkMetricNames` then holds every metric a PromQL query reads to the metrics catalog.
 */
import { type MetricEntry, catalogNames, metricsCatalog } from '../../../src/lib/metrics-catalog';
import { type QueryLanguage, parseErrors, promqlMetricNames, promqlSelectors, substituteGrafanaVariables } from '../queries';
import { YAML_KEY, configMapFiles } from './config-files';
import { dashboardFiles, datasourceFiles, panelsOf, provisionedDatasources, unescapeProvisioning } from './grafana';
import { type KubeObject, type Problem, objectId } from './problem';


export interface FoundQuery {
  /** `Kind namespace/name` of the ConfigMap. */
  readonly object: string;
  /** `/data/<key>#<path inside the file>`. */
  readonly path: string;
  /** undefined when no datasource tells the language (checkQueries reports it). */
  readonly language: QueryLanguage | undefined;
  /** The query as written (Grafana variables still in it). */
  readonly query: string;
}

const LANGUAGE_OF_TYPE: Record<string, QueryLanguage> = { prometheus: 'promql', loki: 'logql', tempo: 'traceql' };

function ruleQueries(objects: readonly KubeObject[]): FoundQuery[] {
  const out: FoundQuery[] = [];
  for (const { cm, key, doc } of configMapFiles(objects, YAML_KEY)) {
    if (!Array.isArray(doc.groups)) continue;
    doc.groups.forEach((g: any, gi: number) => (g?.rules ?? []).forEach((r: any, ri: number) => {
      out.push({ object: objectId(cm), path: `/data/${key}#/groups/${gi}/rules/${ri}/expr`, language: 'promql', query: String(r?.expr ?? '') });
    }));
  }
  return out;
}

/** The language of a datasource reference: provisioned type by uid, else the reference's own `type`. */
function languageOf(ref: any, provisioned: Map<string, { type: string }>, variables: Map<string, string>): QueryLanguage | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  const uid = typeof ref.uid === 'string' ? ref.uid : undefined;
  const variable = uid ? /^\$\{?(\w+)\}?$/.exec(uid) : null;
  const type = variable ? variables.get(variable[1]) : (uid && provisioned.get(uid)?.type) || ref.type;
  return typeof type === 'string' ? LANGUAGE_OF_TYPE[type] : undefined;
}

/** The queries a Grafana variable runs: PromQL/LogQL selectors or expressions inside its query. */
function variableQueries(language: QueryLanguage, query: any): string[] {
  if (language === 'logql' && query && typeof query === 'object') return typeof query.stream === 'string' && query.stream !== '' ? [query.stream] : [];
  const text = typeof query === 'string' ? query : query && typeof query.query === 'string' ? query.query : undefined;
  if (text === undefined || language === 'traceql') return [];
  const q = text.trim();
  const labelValues = /^label_values\((.+),\s*[\w.]+\)$/s.exec(q);
  if (labelValues) return [labelValues[1]];
  const result = /^query_result\((.+)\)$/s.exec(q);
  if (result) return [result[1]];
  // label_values(label), label_names(...), metrics(regex): no query language inside
  if (/^(label_values|label_names|metrics)\(.*\)$/s.test(q)) return [];
  return [q];
}

function dashboardQueries(objects: readonly KubeObject[]): FoundQuery[] {
  const provisioned = provisionedDatasources(objects);
  const defaultRef = (() => {
    for (const f of datasourceFiles(objects)) {
      const d = f.doc.datasources.find((x: any) => x?.isDefault === true);
      if (d) return { uid: d.uid, type: d.type };
    }
    return undefined;
  })();
  const out: FoundQuery[] = [];
  for (const f of dashboardFiles(objects)) {
    const at = (path: string, language: QueryLanguage | undefined, query: string) => {
      out.push({ object: objectId(f.cm), path: `/data/${f.key}#${path}`, language, query });
    };
    const list: any[] = f.doc.templating?.list ?? [];
    const variables = new Map<string, string>(list.filter((v) => v?.type === 'datasource').map((v) => [v.name, String(v.query)]));
    const target = (t: any, path: string, fallback: any) => {
      const language = languageOf(t?.datasource ?? fallback, provisioned, variables);
      // `expr` is PromQL or LogQL, `query` TraceQL; the other datasource kinds do not use these keys
      if (typeof t?.expr === 'string') at(`${path}/expr`, language === 'traceql' ? undefined : language, t.expr);
      if (typeof t?.query === 'string' && (t.query !== '' || t.queryType === 'traceql') && (language === 'traceql' || language === undefined)) {
        at(`${path}/query`, language, t.query);
      }
    };
    for (const { panel, path } of panelsOf(f.doc)) {
      (panel?.targets ?? []).forEach((t: any, i: number) => target(t, `${path}/targets/${i}`, panel.datasource ?? defaultRef));
    }
    (f.doc.annotations?.list ?? []).forEach((a: any, i: number) => {
      if (a?.builtIn === 1) return;
      target(a, `/annotations/list/${i}`, defaultRef);
      if (a?.target) target(a.target, `/annotations/list/${i}/target`, a.datasource ?? defaultRef);
    });
    list.forEach((v: any, i: number) => {
      if (v?.type !== 'query') return;
      const language = languageOf(v.datasource ?? defaultRef, provisioned, variables);
      if (!language) { at(`/templating/list/${i}/query`, undefined, JSON.stringify(v.query)); return; }
      for (const q of variableQueries(language, v.query)) at(`/templating/list/${i}/query`, language, q);
    });
  }
  return out;
}

function datasourceQueries(objects: readonly KubeObject[]): FoundQuery[] {
  const out: FoundQuery[] = [];
  for (const f of datasourceFiles(objects)) {
    f.doc.datasources.forEach((d: any, i: number) => {
      const base = `/data/${f.key}#/datasources/${i}/jsonData`;
      const j = d?.jsonData ?? {};
      (j.tracesToMetrics?.queries ?? []).forEach((q: any, qi: number) => {
        out.push({ object: objectId(f.cm), path: `${base}/tracesToMetrics/queries/${qi}/query`, language: 'promql', query: unescapeProvisioning(String(q?.query ?? '')) });
      });
      for (const link of ['tracesToLogsV2', 'tracesToLogs'] as const) {
        if (j[link]?.customQuery === true) {
          out.push({ object: objectId(f.cm), path: `${base}/${link}/query`, language: 'logql', query: unescapeProvisioning(String(j[link].query ?? '')) });
        }
      }
    });
  }
  return out;
}

/** Every query in the output, with where it is and its language. */
export function extractQueries(objects: readonly KubeObject[]): FoundQuery[] {
  return [...ruleQueries(objects), ...dashboardQueries(objects), ...datasourceQueries(objects)];
}

/** Zero parse errors over every query of the output. */
export function checkQueries(objects: readonly KubeObject[]): Problem[] {
  return extractQueries(objects).flatMap((q) => {
    if (q.language === undefined) {
      return [{ check: 'queries', object: q.object, path: q.path, message: `no provisioned datasource (or reference type) tells the language of ${JSON.stringify(q.query)}` }];
    }
    return parseErrors(q.language, substituteGrafanaVariables(q.query)).map((e) => ({ check: 'queries', object: q.object, path: q.path, message: `${e} in ${JSON.stringify(q.query)}` }));
  });
}

/** Every metric name a PromQL query of the output reads is in the metrics catalog. */
export function checkMetricNames(objects: readonly KubeObject[], known: ReadonlySet<string> = catalogNames()): Problem[] {
  return extractQueries(objects).filter((q) => q.language === 'promql').flatMap((q) =>
    promqlMetricNames(substituteGrafanaVariables(q.query)).filter((n) => !known.has(n)).map((n) => ({
      check: 'queries', object: q.object, path: q.path, message: `metric ${n} is not in the metrics catalog (src/lib/metrics-catalog.ts)`,
    })));
}

/**
 * Every selector of a metric the catalog marks `onlyWith` carries that matcher: outside it the exporter
 * produces no series (e.g. cAdvisor's filesystem usage exists for the node's root cgroup only), so a query
 * without it shows nothing.
 */
export function checkMetricScopes(objects: readonly KubeObject[], catalog: readonly MetricEntry[] = metricsCatalog()): Problem[] {
  const scoped = new Map(catalog.flatMap((m) => (m.onlyWith !== undefined ? [[m.name, m.onlyWith.replace(/\s+/g, '')] as const] : [])));
  return extractQueries(objects).filter((q) => q.language === 'promql').flatMap((q) =>
    promqlSelectors(substituteGrafanaVariables(q.query)).flatMap((sel) => {
      const needed = sel.name === undefined ? undefined : scoped.get(sel.name);
      if (needed === undefined || sel.matchers.includes(needed)) return [];
      return [{
        check: 'queries', object: q.object, path: q.path,
        message: `${sel.name} exists only with ${needed} (src/lib/metrics-catalog.ts), but the query selects {${sel.matchers.join(',')}}`,
      }];
    }));
}
