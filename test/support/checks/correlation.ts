/**
 * Correlation prerequisites: what the metrics -> logs -> traces links need to work after apply, read
 * from the synthesized output only. A link is checked when both its datasources are provisioned, so a
 * config with Loki, Tempo or Grafana off reports nothing for the links it does not have.
 * - Prometheus stores exemplars (`--enable-feature=exemplar-storage`) and accepts remote write
 *   (`--web.enable-remote-write-receiver`, Tempo's metrics-generator pushes there).
 * - Every datasource uid a datasource file (`datasourceUid`, `alertmanagerUid` at any depth) or a dashboard (`datasource`
 *   references in panels, targets, variables, annotations) names is provisioned.
 * - traces -> metrics (Tempo datasource `serviceMap` / `tracesToMetrics`): Tempo's config enables the
 *   `service-graphs` / `span-metrics` processors in its overrides and remote-writes to a Service that
 *   reaches the Prometheus pod, on `/api/v1/write`.
 * - logs -> traces (Loki datasource derived fields to Tempo): Loki accepts structured metadata, every
 *   log agent writes `trace_id` as structured metadata, and the label-matched derived field names a key
 *   the agents write.
 * - traces -> logs (Tempo datasource `tracesToLogsV2`): every tag maps to a label every log agent sets.
 */
import { type KubeObject, type Problem, objectId, podTemplate, selects } from './problem';
import { findPrometheus } from './prometheus';
import { LOG_FIELDS } from '../../../src/lib/signals';
import { dashboardFiles, datasourceFiles, provisionedDatasources } from './grafana';
import { resolveServicePort, serviceOfHost } from './wiring';
import { type ConfigMapFile, YAML_KEY, configMapFiles } from './config-files';


export const PROMETHEUS_CORRELATION_FLAGS: readonly string[] = ['--web.enable-remote-write-receiver', '--enable-feature=exemplar-storage'];

export function checkPrometheusFlags(objects: readonly KubeObject[]): Problem[] {
  return findPrometheus(objects).flatMap((f) => {
    const args: string[] = f.container.args ?? [];
    const features = args.filter((a) => a.startsWith('--enable-feature=')).flatMap((a) => a.slice('--enable-feature='.length).split(','));
    return PROMETHEUS_CORRELATION_FLAGS.filter((flag) => {
      if (flag.startsWith('--enable-feature=')) return !features.includes(flag.slice('--enable-feature='.length));
      return !args.includes(flag);
    }).map((flag) => ({ check: 'correlation', object: objectId(f.workload), path: '/spec/template/spec/containers', message: `Prometheus lacks ${flag}` }));
  });
}

function collectUidRefs(v: any, path: string, out: Array<{ path: string; key: string; uid: unknown }>): void {
  if (Array.isArray(v)) v.forEach((x, i) => collectUidRefs(x, `${path}/${i}`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      // Links to another datasource: correlations (`datasourceUid`) and a Prometheus's Alertmanager.
      if (k === 'datasourceUid' || k === 'alertmanagerUid') out.push({ path: `${path}/${k}`, key: k, uid: x });
      else collectUidRefs(x, `${path}/${k}`, out);
    }
  }
}

export function checkDatasourceUids(objects: readonly KubeObject[]): Problem[] {
  const files = datasourceFiles(objects);
  const uids = new Set(files.flatMap((f) => f.doc.datasources.map((d: any) => d.uid)).filter((u) => typeof u === 'string'));
  const out: Problem[] = [];
  for (const f of files) {
    f.doc.datasources.forEach((d: any, i: number) => {
      if (typeof d.uid !== 'string' || d.uid === '') out.push({ check: 'correlation', object: objectId(f.cm), path: `/data/${f.key}#/datasources/${i}`, message: `datasource "${d.name}" has no uid, so links cannot point at it` });
    });
    const refs: Array<{ path: string; key: string; uid: unknown }> = [];
    collectUidRefs(f.doc, '', refs);
    for (const r of refs) {
      if (typeof r.uid !== 'string' || !uids.has(r.uid)) {
        out.push({ check: 'correlation', object: objectId(f.cm), path: `/data/${f.key}#${r.path}`, message: `${r.key} ${JSON.stringify(r.uid)} is not a provisioned datasource (${[...uids].join(', ') || 'none'})` });
      }
    }
  }
  return out;
}

/** Datasource references Grafana resolves itself, not through provisioning. */
const GRAFANA_BUILTIN_UIDS: ReadonlySet<string> = new Set(['-- Grafana --', '-- Mixed --', '-- Dashboard --', 'grafana']);

/** Every `datasource` reference of a dashboard (panels, targets, variables, annotations) names a provisioned datasource. */
export function checkDashboardDatasourceUids(objects: readonly KubeObject[]): Problem[] {
  const provisioned = provisionedDatasources(objects);
  const names = new Set([...provisioned.values()].map((d) => d.name));
  const out: Problem[] = [];
  for (const f of dashboardFiles(objects)) {
    const variables = new Set<string>((f.doc.templating?.list ?? []).filter((v: any) => v?.type === 'datasource').map((v: any) => v.name));
    const visit = (v: any, path: string): void => {
      if (Array.isArray(v)) { v.forEach((x, i) => visit(x, `${path}/${i}`)); return; }
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (k !== 'datasource') { visit(x, `${path}/${k}`); continue; }
        const uid = typeof x === 'string' ? x : (x as any)?.uid;
        if (uid === undefined || uid === null) continue; // no uid: the panel's or the default datasource
        const variable = typeof uid === 'string' ? /^\$\{?(\w+)\}?$/.exec(uid) : null;
        const ok = typeof uid === 'string' && (GRAFANA_BUILTIN_UIDS.has(uid) || provisioned.has(uid) || (typeof x === 'string' && names.has(uid)) || (variable !== null && variables.has(variable[1])));
        if (!ok) out.push({ check: 'correlation', object: objectId(f.cm), path: `/data/${f.key}#${path}/${k}`, message: `datasource ${JSON.stringify(uid)} is not a provisioned datasource (${[...provisioned.keys()].join(', ') || 'none'})` });
      }
    };
    visit(f.doc, '');
  }
  return out;
}

/** ConfigMap YAML files whose parsed document satisfies `is`. */
function yamlConfigs(objects: readonly KubeObject[], is: (doc: any) => boolean): ConfigMapFile[] {
  return configMapFiles(objects, YAML_KEY).filter((f) => is(f.doc));
}

export const tempoConfigs = (objects: readonly KubeObject[]) => yamlConfigs(objects, (d) => d.distributor?.receivers !== undefined);
export const lokiConfigs = (objects: readonly KubeObject[]) => yamlConfigs(objects, (d) => d.schema_config !== undefined && d.limits_config !== undefined);
const promtailConfigs = (objects: readonly KubeObject[]) => yamlConfigs(objects, (d) => Array.isArray(d.scrape_configs) && Array.isArray(d.clients));

/** The provisioned datasource of `type` whose `jsonData` key links to a provisioned datasource of `targetType`. */
function linkOf(objects: readonly KubeObject[], type: string, targetType: string, pick: (jsonData: any) => unknown): { ds: any; where: string } | undefined {
  const provisioned = provisionedDatasources(objects);
  for (const f of datasourceFiles(objects)) {
    for (const [i, d] of (f.doc.datasources as any[]).entries()) {
      if (d?.type !== type) continue;
      const uid = pick(d.jsonData ?? {});
      if (typeof uid === 'string' && provisioned.get(uid)?.type === targetType) return { ds: d, where: `${objectId(f.cm)} /data/${f.key}#/datasources/${i}` };
    }
  }
  return undefined;
}

export const TEMPO_PROCESSOR_FOR_LINK = { serviceMap: 'service-graphs', tracesToMetrics: 'span-metrics' } as const;

/** traces -> metrics: generator processors on, remote write reaching the Prometheus pod. */
export function checkTempoGenerator(objects: readonly KubeObject[]): Problem[] {
  const needed = (Object.keys(TEMPO_PROCESSOR_FOR_LINK) as Array<keyof typeof TEMPO_PROCESSOR_FOR_LINK>)
    .map((link) => ({ link, processor: TEMPO_PROCESSOR_FOR_LINK[link], found: linkOf(objects, 'tempo', 'prometheus', (j) => j[link]?.datasourceUid) }))
    .filter((n) => n.found !== undefined);
  if (needed.length === 0) return [];
  const configs = tempoConfigs(objects);
  if (configs.length === 0) {
    return [{ check: 'correlation', object: needed[0].found!.where, path: `jsonData/${needed[0].link}`, message: 'the Tempo datasource links to Prometheus but no Tempo config is in the output' }];
  }
  const prometheusLabels = findPrometheus(objects).map((p) => podTemplate(p.workload)?.metadata?.labels);
  const out: Problem[] = [];
  for (const c of configs) {
    const p = (path: string, message: string) => out.push({ check: 'correlation', object: objectId(c.cm), path: `/data/${c.key}#${path}`, message });
    // per-tenant overrides: `overrides.defaults.metrics_generator.processors` (current) or the legacy flat key
    const processors: unknown[] = c.doc.overrides?.defaults?.metrics_generator?.processors ?? c.doc.overrides?.metrics_generator_processors ?? [];
    for (const n of needed) {
      if (!processors.includes(n.processor)) p('/overrides/defaults/metrics_generator/processors', `the ${n.link} link needs the ${n.processor} processor enabled (has: ${processors.join(', ') || 'none'})`);
    }
    const remoteWrite: any[] = c.doc.metrics_generator?.storage?.remote_write ?? [];
    if (remoteWrite.length === 0) { p('/metrics_generator/storage/remote_write', 'the metrics-generator has no remote_write, so span metrics never reach Prometheus'); continue; }
    remoteWrite.forEach((rw, i) => {
      const path = `/metrics_generator/storage/remote_write/${i}/url`;
      let url: URL;
      try { url = new URL(String(rw?.url)); } catch { p(path, `${JSON.stringify(rw?.url)} is not a URL`); return; }
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const svc = serviceOfHost(url.hostname, c.cm.metadata.namespace);
      if (!svc) { p(path, `${url.href} is not a cluster Service`); return; }
      const why = resolveServicePort(objects, svc.service, svc.namespace, port);
      if (why) { p(path, `${url.href}: ${why}`); return; }
      const selector = objects.find((o) => o.kind === 'Service' && o.metadata.name === svc.service && o.metadata.namespace === svc.namespace)?.spec?.selector;
      if (!prometheusLabels.some((labels) => selects(selector, labels))) p(path, `${url.href}: Service ${svc.namespace}/${svc.service} does not select the Prometheus pod`);
      if (url.pathname !== '/api/v1/write') p(path, `${url.href}: Prometheus receives remote write on /api/v1/write, not ${url.pathname}`);
    });
  }
  return out;
}

/** The body of each `<header> { ... }` block of an Alloy config (braces balanced, strings skipped). */
export function alloyBlocks(text: string, header: RegExp): string[] {
  const out: string[] = [];
  const re = new RegExp(`${header.source}\\s*(?:"[^"]*"\\s*)?\\{`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let depth = 1;
    let i = m.index + m[0].length;
    let inString = false;
    for (; i < text.length && depth > 0; i++) {
      const ch = text[i];
      if (inString) { if (ch === '\\') i++; else if (ch === '"') inString = false; continue; }
      if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}') depth--;
    }
    out.push(text.slice(m.index + m[0].length, i - 1));
  }
  return out;
}

/** Keys of the `name = { k = v, ... }` maps inside Alloy block bodies. */
function alloyMapKeys(bodies: readonly string[], name: string): string[] {
  return bodies.flatMap((b) => alloyBlocks(b, new RegExp(`\\b${name}\\s*=`)).flatMap((map) => [...map.matchAll(/(?:^|[{,\s])"?([\w.]+)"?\s*=/g)].map((m) => m[1])));
}

/** An Alloy config that receives OTLP (the gateway), as opposed to a log agent tailing files. */
export function isOtlpGateway(text: string): boolean {
  return /\botelcol\.receiver\.otlp\b/.test(text);
}

/** Attribute names a `set(attributes["x"], ...)` OTTL statement writes, in the given statement blocks. */
export function ottlSetAttributes(text: string, blockName: 'log_statements' | 'metric_statements'): Set<string> {
  const bodies = alloyBlocks(text, new RegExp(`\\b${blockName}`));
  return new Set(bodies.flatMap((b) => [...b.matchAll(/set\(attributes\[\\"([^"\\]+)\\"\]/g)].map((m) => m[1])));
}

/** The string value of `name = "..."` attributes in Alloy block bodies. */
function alloyStringAttr(bodies: readonly string[], name: string): string[] {
  return bodies.flatMap((b) => [...b.matchAll(new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`, 'g'))].map((m) => m[1]));
}

/**
 * Loki's stream labels for OTLP logs: the `index_label` resource attributes of `limits_config.otlp_config`
 * (dots become underscores, as Loki normalizes them); what every Loki config indexes.
 */
export function lokiOtlpIndexLabels(objects: readonly KubeObject[]): Set<string> {
  const sets = lokiConfigs(objects).map((c) => new Set<string>(((c.doc.limits_config?.otlp_config?.resource_attributes?.attributes_config ?? []) as any[])
    .filter((a) => a?.action === 'index_label').flatMap((a) => (a.attributes ?? []).map((x: string) => x.replace(/[^a-zA-Z0-9_]/g, '_')))));
  if (sets.length === 0) return new Set();
  return new Set([...sets[0]].filter((l) => sets.every((x) => x.has(l))));
}

/**
 * The gateway's log path to Loki's OTLP endpoint, as a log pipeline: its stream labels are the attributes
 * its log transform sets that Loki indexes; its structured metadata is what Loki's OTLP ingestion writes
 * from every record (`trace_id`, `span_id`, pkg/loghttp/push/otlp.go). Undefined when it sends no logs.
 */
function otlpLogPipeline(objects: readonly KubeObject[], cm: KubeObject, key: string, text: string): LogAgentPipeline | undefined {
  const logsEndpoints = alloyStringAttr(alloyBlocks(text, /\botelcol\.exporter\.otlphttp/), 'logs_endpoint');
  if (logsEndpoints.length === 0) return undefined;
  const indexed = lokiOtlpIndexLabels(objects);
  const labels = new Set([...ottlSetAttributes(text, 'log_statements')].filter((l) => indexed.has(l)));
  return { object: objectId(cm), path: `/data/${key}`, structuredMetadata: new Set([LOG_FIELDS.traceId, LOG_FIELDS.spanId]), labels };
}

/**
 * The OTLP gateway's exporters reach the stores where they accept OTLP, and the metrics path keeps the
 * labels the correlations filter on: logs to a Loki Service on `/otlp/v1/logs`, metrics to a Prometheus
 * Service on `/api/v1/otlp/v1/metrics` with `--web.enable-otlp-receiver` and every label the metric
 * transform sets promoted (`otlp.promote_resource_attributes`), traces to a Tempo Service port.
 */
export function checkOtlpGateway(objects: readonly KubeObject[]): Problem[] {
  const out: Problem[] = [];
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      if (typeof text !== 'string' || !/\.alloy$/.test(key) || !isOtlpGateway(text)) continue;
      const p = (message: string) => out.push({ check: 'correlation', object: objectId(cm), path: `/data/${key}`, message });
      const endpoint = (url: string, wantPath: string, what: string): void => {
        let u: URL;
        try { u = new URL(url); } catch { p(`${what}: ${JSON.stringify(url)} is not a URL`); return; }
        const svc = serviceOfHost(u.hostname, cm.metadata.namespace);
        if (!svc) { p(`${what}: ${url} is not a cluster Service`); return; }
        const why = resolveServicePort(objects, svc.service, svc.namespace, Number(u.port || 80));
        if (why) p(`${what}: ${url}: ${why}`);
        if (u.pathname !== wantPath) p(`${what}: ${url}: the store accepts OTLP on ${wantPath}, not ${u.pathname}`);
      };
      const exporters = alloyBlocks(text, /\botelcol\.exporter\.otlphttp/);
      for (const url of alloyStringAttr(exporters, 'logs_endpoint')) endpoint(url, '/otlp/v1/logs', 'logs');
      const metrics = alloyStringAttr(exporters, 'metrics_endpoint');
      for (const url of metrics) endpoint(url, '/api/v1/otlp/v1/metrics', 'metrics');
      if (metrics.length > 0) {
        for (const prom of findPrometheus(objects)) {
          if (!(prom.container.args ?? []).includes('--web.enable-otlp-receiver')) p('metrics: Prometheus lacks --web.enable-otlp-receiver');
          const promoted = new Set<string>(prom.config?.otlp?.promote_resource_attributes ?? []);
          for (const l of ottlSetAttributes(text, 'metric_statements')) {
            if (!promoted.has(l)) p(`metrics: the gateway sets ${l}, which Prometheus does not promote to a label (otlp.promote_resource_attributes)`);
          }
        }
      }
      for (const body of alloyBlocks(text, /\botelcol\.exporter\.otlp(?!http)/)) {
        for (const address of alloyStringAttr(alloyBlocks(body, /\bclient/), 'endpoint')) {
          const [host, port] = address.split(':');
          const svc = serviceOfHost(host, cm.metadata.namespace);
          const why = svc ? resolveServicePort(objects, svc.service, svc.namespace, Number(port)) : `${address} is not a cluster Service`;
          if (why) p(`traces: ${why}`);
        }
      }
    }
  }
  return out;
}

export interface LogAgentPipeline {
  readonly object: string;
  readonly path: string;
  /** Keys written as structured metadata. */
  readonly structuredMetadata: ReadonlySet<string>;
  /** Stream labels the agent sets (relabelling target labels, external labels, `labels` stages). */
  readonly labels: ReadonlySet<string>;
}

/** What each log agent in the output (Promtail YAML, Alloy config) writes to Loki. */
export function logAgentPipelines(objects: readonly KubeObject[]): LogAgentPipeline[] {
  const out: LogAgentPipeline[] = [];
  for (const c of promtailConfigs(objects)) {
    const sm = new Set<string>();
    const labels = new Set<string>();
    for (const client of c.doc.clients) for (const k of Object.keys(client?.external_labels ?? {})) labels.add(k);
    for (const sc of c.doc.scrape_configs) {
      for (const r of sc?.relabel_configs ?? []) if (typeof r?.target_label === 'string' && (r.action ?? 'replace') === 'replace') labels.add(r.target_label);
      for (const st of sc?.static_configs ?? []) for (const k of Object.keys(st?.labels ?? {})) labels.add(k);
      for (const stage of sc?.pipeline_stages ?? []) {
        for (const k of Object.keys(stage?.structured_metadata ?? {})) sm.add(k);
        for (const k of Object.keys(stage?.labels ?? {})) labels.add(k);
      }
    }
    out.push({ object: objectId(c.cm), path: `/data/${c.key}`, structuredMetadata: sm, labels: new Set([...labels].filter((l) => !l.startsWith('__'))) });
  }
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      if (typeof text !== 'string' || !/\.(alloy|river)$/.test(key)) continue;
      if (isOtlpGateway(text)) {
        const path = otlpLogPipeline(objects, cm, key, text);
        if (path) out.push(path);
        continue;
      }
      const labels = new Set<string>([...text.matchAll(/\btarget_label\s*=\s*"([^"]+)"/g)].map((m) => m[1]));
      for (const k of alloyMapKeys(alloyBlocks(text, /\bloki\.write/), 'external_labels')) labels.add(k);
      for (const k of alloyMapKeys(alloyBlocks(text, /\bstage\.labels/), 'values')) labels.add(k);
      const sm = new Set(alloyMapKeys(alloyBlocks(text, /\bstage\.structured_metadata/), 'values'));
      out.push({ object: objectId(cm), path: `/data/${key}`, structuredMetadata: sm, labels: new Set([...labels].filter((l) => !l.startsWith('__'))) });
    }
  }
  return out;
}

/** logs -> traces: Loki accepts structured metadata, the agents write trace_id there, the derived field reads it. */
export function checkLokiStructuredMetadata(objects: readonly KubeObject[], traceIdKey: string = LOG_FIELDS.traceId): Problem[] {
  const link = linkOf(objects, 'loki', 'tempo', (j) => (j.derivedFields ?? []).map((f: any) => f?.datasourceUid).find((u: unknown) => typeof u === 'string'));
  if (!link) return [];
  const out: Problem[] = [];
  const loki = lokiConfigs(objects);
  if (loki.length === 0) out.push({ check: 'correlation', object: link.where, path: 'jsonData/derivedFields', message: 'the Loki datasource links to Tempo but no Loki config is in the output' });
  for (const c of loki) {
    if (c.doc.limits_config?.allow_structured_metadata !== true) {
      out.push({ check: 'correlation', object: objectId(c.cm), path: `/data/${c.key}#/limits_config/allow_structured_metadata`, message: `Loki must accept structured metadata for the ${traceIdKey} -> trace link (is ${JSON.stringify(c.doc.limits_config?.allow_structured_metadata)})` });
    }
  }
  const agents = logAgentPipelines(objects);
  if (agents.length === 0) out.push({ check: 'correlation', object: link.where, path: 'jsonData/derivedFields', message: 'no log agent config in the output writes to Loki' });
  for (const a of agents) {
    if (!a.structuredMetadata.has(traceIdKey)) out.push({ check: 'correlation', object: a.object, path: a.path, message: `the log agent does not write ${traceIdKey} as structured metadata (writes: ${[...a.structuredMetadata].join(', ') || 'none'})` });
  }
  const fields: any[] = link.ds.jsonData.derivedFields ?? [];
  const labelFields = fields.map((f, i) => ({ f, i })).filter(({ f }) => f?.matcherType === 'label');
  if (!labelFields.some(({ f }) => f.matcherRegex === traceIdKey)) {
    out.push({ check: 'correlation', object: link.where, path: 'jsonData/derivedFields', message: `no derived field of matcherType "label" reads ${traceIdKey}` });
  }
  for (const { f, i } of labelFields) {
    const missing = agents.filter((a) => !a.structuredMetadata.has(f.matcherRegex));
    if (missing.length > 0) out.push({ check: 'correlation', object: link.where, path: `jsonData/derivedFields/${i}/matcherRegex`, message: `derived field reads ${JSON.stringify(f.matcherRegex)}, which ${missing.map((a) => a.object).join(', ')} does not write as structured metadata` });
  }
  return out;
}

/** traces -> logs: every tracesToLogsV2 tag maps to a stream label every log agent sets. */
export function checkTraceToLogsTags(objects: readonly KubeObject[]): Problem[] {
  const link = linkOf(objects, 'tempo', 'loki', (j) => j.tracesToLogsV2?.datasourceUid);
  if (!link) return [];
  const agents = logAgentPipelines(objects);
  const out: Problem[] = [];
  (link.ds.jsonData.tracesToLogsV2.tags ?? []).forEach((t: any, i: number) => {
    const label = typeof t?.value === 'string' && t.value !== '' ? t.value : t?.key;
    const missing = agents.filter((a) => !a.labels.has(label));
    if (agents.length === 0 || missing.length > 0) {
      out.push({ check: 'correlation', object: link.where, path: `jsonData/tracesToLogsV2/tags/${i}`, message: `tag ${t?.key} maps to Loki label ${JSON.stringify(label)}, which ${agents.length === 0 ? 'no log agent' : missing.map((a) => a.object).join(', ')} does not set` });
    }
  });
  return out;
}

export function checkCorrelation(objects: readonly KubeObject[]): Problem[] {
  return [
    ...checkPrometheusFlags(objects),
    ...checkDatasourceUids(objects),
    ...checkDashboardDatasourceUids(objects),
    ...checkTempoGenerator(objects),
    ...checkLokiStructuredMetadata(objects),
    ...checkTraceToLogsTags(objects),
    ...checkOtlpGateway(objects),
  ];
}
