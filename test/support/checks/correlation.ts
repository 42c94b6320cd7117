/**
 * Correlation prerequisites: what the metrics -> logs -> traces links need to work after apply.
 * - Prometheus stores exemplars (`--enable-feature=exemplar-storage`) and accepts remote write
 *   (`--web.enable-remote-write-receiver`, Tempo's metrics-generator pushes there).
 * - Every `datasourceUid` in a Grafana datasource provisioning file (exemplar links, derived fields,
 *   trace-to-logs/metrics) names a provisioned datasource.
 * Hooks for the components still to come (Tempo generator processors, Loki structured metadata) go in
 * here as further pure functions; query parsing lives in test/support/queries.ts.
 */
import { type KubeObject, type Problem, objectId } from './problem';
import { findPrometheus } from './prometheus';
import { datasourceFiles } from './grafana';

/* eslint-disable @typescript-eslint/no-explicit-any */

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

function collectUidRefs(v: any, path: string, out: Array<{ path: string; uid: unknown }>): void {
  if (Array.isArray(v)) v.forEach((x, i) => collectUidRefs(x, `${path}/${i}`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'datasourceUid') out.push({ path: `${path}/${k}`, uid: x });
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
    const refs: Array<{ path: string; uid: unknown }> = [];
    collectUidRefs(f.doc, '', refs);
    for (const r of refs) {
      if (typeof r.uid !== 'string' || !uids.has(r.uid)) {
        out.push({ check: 'correlation', object: objectId(f.cm), path: `/data/${f.key}#${r.path}`, message: `datasourceUid ${JSON.stringify(r.uid)} is not a provisioned datasource (${[...uids].join(', ') || 'none'})` });
      }
    }
  }
  return out;
}

export function checkCorrelation(objects: readonly KubeObject[]): Problem[] {
  return [...checkPrometheusFlags(objects), ...checkDatasourceUids(objects)];
}
