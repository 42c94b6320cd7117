import { load } from 'js-yaml';
import { renderAlloyConfig } from '../../../src/components/alloy/alloy-config';
import { FILENAME_LABEL, PATH_LABEL, buildLogPipeline, type LogPipeline } from '../../../src/components/log-pipeline/log-pipeline';
import { TIMEOUTS, retryWindowSeconds } from '../../../src/config/sizing';
import { parseGoDuration } from '../../../src/config/units';
import { type PromtailConfigFile, renderPromtailConfig } from '../../../src/components/promtail/promtail-config';
import { CLUSTER_LABEL, K8S_SIGNAL_LABELS, SERVICE_LABEL } from '../../../src/lib/labels';
import { LOG_FIELDS } from '../../../src/lib/signals';
import { toYaml } from '../../../src/lib/yaml';
import { type NeutralPipeline, type ParsedBlock, type Stage, envsubst, parseAlloy, relabel, rule, ship } from './pipeline-eval';

const NODE = 'kind-worker';
/** A duration as the agents write it, in seconds. */
const secs = (d: unknown): number => (parseGoDuration(d) ?? NaN) / 1000;
const ENV = { HOSTNAME: NODE };
const pipeline = buildLogPipeline({ clusterName: 'kind', pushUrl: 'http://loki.observability.svc:3100/loki/api/v1/push', tenant: 'team-a' });

/** Promtail's file, as Promtail reads it: rendered, written as YAML, env-expanded, parsed. */
function promtailNeutral(p: LogPipeline): NeutralPipeline {
  const text = toYaml(renderPromtailConfig({ pipeline: p, httpPort: 3101, positionsFile: '/var/lib/promtail/positions.yaml' }));
  const cfg = load(envsubst(text, ENV)) as PromtailConfigFile;
  const job = cfg.scrape_configs[0];
  const stages: Stage[] = job.pipeline_stages.map((s) => {
    const [name, v] = Object.entries(s)[0] as [string, any];
    switch (name) {
      case 'cri': return { kind: 'cri' };
      case 'json': return { kind: 'json', expressions: v.expressions };
      case 'labels': return { kind: 'labels', values: v };
      case 'structured_metadata': return { kind: 'structuredMetadata', values: v };
      case 'labeldrop': return { kind: 'labelDrop', names: v };
      default: throw new Error(`unexpected promtail stage ${name}`);
    }
  });
  return {
    nodeSelector: job.kubernetes_sd_configs[0].selectors[0].field ?? '',
    rules: job.relabel_configs.map(rule),
    stages,
    pushUrl: cfg.clients[0].url,
    tenant: cfg.clients[0].tenant_id,
    externalLabels: cfg.clients[0].external_labels,
    delivery: {
      timeout: secs(cfg.clients[0].timeout),
      minBackoff: secs(cfg.clients[0].backoff_config.min_period),
      maxBackoff: secs(cfg.clients[0].backoff_config.max_period),
      retries: cfg.clients[0].backoff_config.max_retries,
    },
  };
}

function only(blocks: ParsedBlock[], name: string): ParsedBlock {
  const found = blocks.filter((b) => b.name === name);
  if (found.length !== 1) throw new Error(`expected one ${name}, found ${found.length}`);
  return found[0];
}

/** Alloy's file, as Alloy reads it: rendered text parsed back, sys.env resolved. */
function alloyNeutral(p: LogPipeline): NeutralPipeline {
  const doc = parseAlloy(renderAlloyConfig({ pipeline: p }), ENV);
  const disc = only(doc, 'discovery.kubernetes');
  const rel = only(doc, 'discovery.relabel');
  const proc = only(doc, 'loki.process');
  const write = only(doc, 'loki.write');
  const endpoint = only(write.blocks, 'endpoint');
  const stages: Stage[] = proc.blocks.map((b): Stage => {
    const a = b.attrs as any;
    switch (b.name) {
      case 'stage.cri': return { kind: 'cri' };
      case 'stage.json': return { kind: 'json', expressions: a.expressions };
      case 'stage.labels': return { kind: 'labels', values: a.values };
      case 'stage.structured_metadata': return { kind: 'structuredMetadata', values: a.values };
      case 'stage.label_drop': return { kind: 'labelDrop', names: a.values };
      default: throw new Error(`unexpected alloy stage ${b.name}`);
    }
  });
  return {
    nodeSelector: only(disc.blocks, 'selectors').attrs.field as string,
    rules: rel.blocks.map((b) => rule(b.attrs as any)),
    stages,
    pushUrl: endpoint.attrs.url as string,
    tenant: endpoint.attrs.tenant_id as string | undefined,
    externalLabels: write.attrs.external_labels as any,
    delivery: {
      timeout: secs(endpoint.attrs.remote_timeout),
      minBackoff: secs(endpoint.attrs.min_backoff_period),
      maxBackoff: secs(endpoint.attrs.max_backoff_period),
      retries: endpoint.attrs.max_backoff_retries as number,
    },
  };
}

/** A container as Kubernetes pod discovery presents it. */
const frontendTarget: Record<string, string> = {
  __meta_kubernetes_namespace: 'shop',
  __meta_kubernetes_pod_name: 'frontend-7d9f8-abcde',
  __meta_kubernetes_pod_uid: '0b4e3c1a-1111-2222-3333-444455556666',
  __meta_kubernetes_pod_container_name: 'frontend',
  __meta_kubernetes_pod_node_name: NODE,
  __meta_kubernetes_pod_label_app_kubernetes_io_name: 'frontend',
  __meta_kubernetes_pod_label_app: 'legacy-name',
  __meta_kubernetes_pod_label_pod_template_hash: '7d9f8',
  __meta_kubernetes_pod_phase: 'Running',
  __meta_kubernetes_pod_container_port_name: 'http-metrics',
};
const frontendFile = '/var/log/pods/shop_frontend-7d9f8-abcde_0b4e3c1a-1111-2222-3333-444455556666/frontend/0.log';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const CRI_JSON = `2026-05-01T10:00:00.123456789Z stdout F {"level":"info","msg":"GET /checkout","trace_id":"${TRACE}","span_id":"${SPAN}","status":200}`;
const CRI_PLAIN = '2026-05-01T10:00:01.000000001Z stderr F panic: something went wrong';

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

describe.each([
  ['promtail', promtailNeutral],
  ['alloy', alloyNeutral],
])('the %s rendering', (_agent, read) => {
  const p = read(pipeline);

  it('discovers only pods on its own node', () => {
    expect(p.nodeSelector).toBe(`spec.nodeName=${NODE}`);
  });

  it('turns a discovered container into a glob matching kubelet\'s log file, and the shared labels', () => {
    const t = relabel(frontendTarget, p.rules)!;
    expect(globToRegExp(t[PATH_LABEL]).test(frontendFile)).toBe(true);
    expect(globToRegExp(t[PATH_LABEL]).test(frontendFile.replace('/frontend/', '/sidecar/'))).toBe(false);
    expect(Object.fromEntries(Object.entries(t).filter(([k]) => !k.startsWith('__')))).toEqual({
      namespace: 'shop', pod: 'frontend-7d9f8-abcde', container: 'frontend', node: NODE, service: 'frontend',
    });
  });

  it('falls back to the app label for the service label, like Prometheus', () => {
    const { __meta_kubernetes_pod_label_app_kubernetes_io_name: _, ...legacy } = frontendTarget;
    expect(relabel(legacy, p.rules)![SERVICE_LABEL]).toBe('legacy-name');
  });

  it('finds static (mirror) pods under their config hash', () => {
    const t = relabel({ ...frontendTarget, __meta_kubernetes_pod_annotation_kubernetes_io_config_mirror: 'f00dcafe' }, p.rules)!;
    expect(globToRegExp(t[PATH_LABEL]).test('/var/log/pods/kube-system_etcd-kind_f00dcafe/frontend/0.log')).toBe(true);
  });

  it('parses a JSON line: level and trace context as structured metadata, CRI prefix removed', () => {
    const e = ship(p, relabel(frontendTarget, p.rules)!, frontendFile, CRI_JSON);
    expect(e.line).toBe(CRI_JSON.split(' F ')[1]);
    expect(e.timestamp).toBe('2026-05-01T10:00:00.123456789Z');
    expect(e.labels).toEqual({
      namespace: 'shop', pod: 'frontend-7d9f8-abcde', container: 'frontend', node: NODE, service: 'frontend',
      stream: 'stdout', cluster: 'kind',
    });
    expect(e.structuredMetadata).toEqual({ level: 'info', trace_id: TRACE, span_id: SPAN });
  });

  it('gives one container as many streams whatever levels it logs: one per output stream', () => {
    const lines = ['debug', 'info', 'warn', 'error'].map((level) => CRI_JSON.replace('"level":"info"', `"level":"${level}"`));
    const streams = new Set([...lines, CRI_PLAIN].map((l) => JSON.stringify(ship(p, relabel(frontendTarget, p.rules)!, frontendFile, l).labels)));
    expect(streams.size).toBe(2);
  });

  it('retries through a Loki restart: 10 s per push, backoff outlasting Loki\'s 10-minute start-up', () => {
    expect(p.delivery).toEqual({ timeout: 10, minBackoff: 0.5, maxBackoff: 60, retries: 20 });
    expect(retryWindowSeconds({ minSeconds: p.delivery.minBackoff, maxSeconds: p.delivery.maxBackoff, retries: p.delivery.retries })).toBeGreaterThan(600);
    expect(p.delivery.timeout).toBe(TIMEOUTS.agentPush);
  });

  it('passes a plain line through with the stream label and no extracted fields', () => {
    const e = ship(p, relabel(frontendTarget, p.rules)!, frontendFile, CRI_PLAIN);
    expect(e.line).toBe('panic: something went wrong');
    expect(e.labels.stream).toBe('stderr');
    expect(e.labels.level).toBeUndefined();
    expect(e.structuredMetadata).toEqual({});
  });

  it('writes to the push URL with the tenant and the cluster label', () => {
    expect(p.pushUrl).toBe(pipeline.pushUrl);
    expect(p.tenant).toBe('team-a');
    expect(p.externalLabels).toEqual({ [CLUSTER_LABEL]: 'kind' });
  });
});

describe('the two renderings', () => {
  it('are the same pipeline: same rules, same stages, same writer and delivery', () => {
    expect(alloyNeutral(pipeline)).toEqual(promtailNeutral(pipeline));
  });

  it('produce the same streams and fields for the same lines', () => {
    const run = (p: NeutralPipeline) => [CRI_JSON, CRI_PLAIN].map((l) => ship(p, relabel(frontendTarget, p.rules)!, frontendFile, l));
    expect(run(alloyNeutral(pipeline))).toEqual(run(promtailNeutral(pipeline)));
  });

  it('send no tenant when Loki is single-tenant', () => {
    const single = buildLogPipeline({ clusterName: 'kind', pushUrl: pipeline.pushUrl, tenant: '' });
    expect(promtailNeutral(single).tenant).toBeUndefined();
    expect(alloyNeutral(single).tenant).toBeUndefined();
  });
});

describe('the label set', () => {
  it('is the shared Kubernetes labels, the service label, stream and cluster: nothing else', () => {
    expect([...pipeline.streamLabels].sort()).toEqual(
      [...Object.values(K8S_SIGNAL_LABELS), SERVICE_LABEL, 'stream', CLUSTER_LABEL].sort(),
    );
  });

  it('never makes a per-line value a label (level, trace and span IDs, pod uid, file name)', () => {
    const forbidden = [LOG_FIELDS.level, LOG_FIELDS.traceId, LOG_FIELDS.spanId, 'uid', 'pod_uid', FILENAME_LABEL, 'filename'];
    for (const l of forbidden) expect(pipeline.streamLabels).not.toContain(l);
    const labelTargets = pipeline.relabelRules.map((r) => r.targetLabel).filter((t): t is string => t !== undefined && !t.startsWith('__'));
    for (const l of labelTargets) expect(pipeline.streamLabels).toContain(l);
    expect(pipeline.relabelRules.some((r) => r.targetLabel !== PATH_LABEL && (r.sourceLabels ?? []).includes('__meta_kubernetes_pod_uid'))).toBe(false);
    expect(pipeline.structuredMetadata).toEqual([LOG_FIELDS.level, LOG_FIELDS.traceId, LOG_FIELDS.spanId]);
    expect(pipeline.stages.find((s) => s.kind === 'labels')).toBeUndefined();
  });

  it('drops the file name label both agents add', () => {
    expect(pipeline.stages.at(-1)).toEqual({ kind: 'labelDrop', names: [FILENAME_LABEL] });
  });
});
