/**
 * The OTLP gateway: its Alloy pipeline (component names, arguments and blocks as the Alloy v1.18.1
 * component reference documents them, every reference resolving to a declared component), where each
 * signal goes, the one attribute -> label mapping, the Deployment, Service, wires and NetworkPolicies,
 * the example services' OTLP-for-everything mode.
 */
import { gatewayConfigBlocks, labelStatements, renderGatewayConfig } from '../../../src/components/otlp-gateway/gateway-config';
import { OTLP_GATEWAY_DEFAULTS } from '../../../src/components/otlp-gateway/config';
import type { AlloyBlock, AlloyStatement } from '../../../src/components/alloy/alloy-config';
import { OTLP_ATTRIBUTE_LABELS } from '../../../src/lib/otlp';
import { lokiOtlpIndexLabels } from '../../../src/components/loki/loki-config';
import { prometheusOtlpPromotedLabels } from '../../../src/components/prometheus/prometheus-config';
import { SPAN_TAG_MAPPINGS } from '../../../src/components/tempo/datasource';
import { errorOf } from '../../support/config-errors';
import { buildEnv, find, objectsOf } from '../../support/synth';


const NS = 'observability';

/**
 * Arguments and blocks of the components the gateway uses, from the Alloy v1.18.1 reference
 * (docs/sources/reference/components/otelcol/*.md and the shared client, queue and retry blocks in
 * docs/sources/shared/reference/components/ at tag v1.18.1; all generally available). Only the arguments
 * of each block obs-stack might write are listed.
 */
const ALLOY_REFERENCE: Record<string, { args: string[]; blocks: Record<string, string[]> }> = {
  'otelcol.receiver.otlp': {
    args: [],
    blocks: {
      grpc: ['endpoint', 'include_metadata', 'max_concurrent_streams', 'max_recv_msg_size', 'read_buffer_size', 'transport', 'write_buffer_size'],
      http: ['endpoint', 'include_metadata', 'compression_algorithms', 'max_request_body_size', 'traces_url_path', 'metrics_url_path', 'logs_url_path'],
      output: ['metrics', 'logs', 'traces'],
    },
  },
  'otelcol.processor.memory_limiter': { args: ['check_interval', 'limit', 'limit_percentage', 'spike_limit', 'spike_limit_percentage'], blocks: { output: ['metrics', 'logs', 'traces'] } },
  'otelcol.processor.transform': {
    args: ['error_mode'],
    blocks: {
      metric_statements: ['context', 'statements', 'conditions', 'error_mode'], log_statements: ['context', 'statements', 'conditions', 'error_mode'],
      trace_statements: ['context', 'statements', 'conditions', 'error_mode'], output: ['metrics', 'logs', 'traces'],
    },
  },
  'otelcol.processor.batch': { args: ['timeout', 'send_batch_size', 'send_batch_max_size', 'metadata_keys', 'metadata_cardinality_limit'], blocks: { output: ['metrics', 'logs', 'traces'] } },
  'otelcol.exporter.otlp': {
    args: ['timeout'],
    blocks: {
      client: ['endpoint', 'compression', 'headers', 'balancer_name', 'authority', 'wait_for_ready', 'read_buffer_size', 'write_buffer_size'],
      tls: ['insecure', 'insecure_skip_verify', 'ca_file', 'server_name', 'min_version'],
      retry_on_failure: ['enabled', 'initial_interval', 'max_interval', 'max_elapsed_time', 'multiplier', 'randomization_factor'],
      sending_queue: ['enabled', 'num_consumers', 'queue_size', 'block_on_overflow', 'sizer', 'wait_for_result', 'storage'],
    },
  },
  'otelcol.exporter.otlphttp': {
    args: ['encoding', 'logs_endpoint', 'metrics_endpoint', 'traces_endpoint'],
    blocks: {
      client: ['endpoint', 'compression', 'headers', 'disable_keep_alives', 'force_attempt_http2', 'timeout', 'max_idle_conns', 'idle_conn_timeout'],
      retry_on_failure: ['enabled', 'initial_interval', 'max_interval', 'max_elapsed_time', 'multiplier', 'randomization_factor'],
      sending_queue: ['enabled', 'num_consumers', 'queue_size', 'block_on_overflow', 'sizer', 'wait_for_result', 'storage'],
    },
  },
};

/** Problems of a gateway document against the reference: unknown components, arguments, blocks, dangling references. */
function referenceProblems(blocks: readonly AlloyBlock[]): string[] {
  const out: string[] = [];
  const declared = new Set(blocks.map((b) => `${b.name}.${b.label}`));
  const check = (component: string, stmts: readonly AlloyStatement[], where: string) => {
    const ref = ALLOY_REFERENCE[component];
    for (const s of stmts) {
      if (s.kind === 'attr') {
        const allowed = where === component ? ref.args : ref.blocks[where.split('>').pop()!] ?? [];
        if (!allowed.includes(s.name)) out.push(`${where}: unknown argument ${s.name}`);
        const refs = JSON.stringify(s.value).match(/otelcol\.[a-z_.]+\.[a-z_]+\.input/g) ?? [];
        for (const r of refs) if (!declared.has(r.replace(/\.input$/, ''))) out.push(`${where}.${s.name}: ${r} is not a declared component`);
      } else {
        if (!(s.name in ref.blocks)) out.push(`${where}: unknown block ${s.name}`);
        check(component, s.body, `${where}>${s.name}`);
      }
    }
  };
  for (const b of blocks) {
    if (!(b.name in ALLOY_REFERENCE)) out.push(`unknown component ${b.name}`);
    else check(b.name, b.body, b.name);
  }
  return out;
}

const blockOf = (blocks: readonly AlloyBlock[], name: string, label?: string) => blocks.find((b) => b.name === name && (label === undefined || b.label === label));
const attrOf = (b: AlloyBlock | undefined, name: string) => (b?.body.find((s) => s.kind === 'attr' && s.name === name) as any)?.value;
const sub = (b: AlloyBlock | undefined, name: string) => b?.body.find((s) => s.kind === 'block' && s.name === name) as AlloyBlock | undefined;

const input = {
  config: OTLP_GATEWAY_DEFAULTS, grpcPort: 4317, httpPort: 4318,
  traces: { label: 'tempo', exporter: 'otlp', target: 'tempo.observability.svc:4317', headers: {}, note: 'traces' },
  metrics: { label: 'prometheus', exporter: 'otlphttp', target: 'http://prometheus.observability.svc:9090/api/v1/otlp', headers: {}, note: 'metrics' },
  logs: { label: 'loki', exporter: 'otlphttp', target: 'http://loki.observability.svc:3100/otlp', headers: {}, note: 'logs' },
  clusterName: 'kind',
} as const;

describe('OTLP gateway pipeline (Alloy)', () => {
  it('uses only components, arguments and blocks of the Alloy v1.18.1 reference, and every reference resolves', () => {
    expect(referenceProblems(gatewayConfigBlocks(input))).toEqual([]);
  });

  it('the reference check fails on an unknown argument, block or reference', () => {
    const blocks = gatewayConfigBlocks(input);
    const broken: AlloyBlock[] = blocks.map((b) => (b.name === 'otelcol.processor.batch'
      ? { ...b, body: [...b.body, { kind: 'attr', name: 'flush_interval', value: '1s' } as AlloyStatement, { kind: 'block', name: 'retry', body: [] } as AlloyStatement] }
      : b)).filter((b) => b.name !== 'otelcol.processor.transform');
    expect(referenceProblems(broken)).toEqual(expect.arrayContaining([
      'otelcol.processor.batch: unknown argument flush_interval',
      'otelcol.processor.batch: unknown block retry',
      expect.stringContaining('otelcol.processor.transform.labels.input is not a declared component'),
    ]));
  });

  it('sends traces to Tempo over gRPC, metrics to Prometheus and logs to Loki on their OTLP paths, each with retry and a queue', () => {
    const blocks = gatewayConfigBlocks(input);
    const tempo = blockOf(blocks, 'otelcol.exporter.otlp', 'tempo');
    expect(attrOf(sub(tempo, 'client'), 'endpoint')).toBe('tempo.observability.svc:4317');
    expect(attrOf(blockOf(blocks, 'otelcol.exporter.otlphttp', 'prometheus'), 'metrics_endpoint')).toBe('http://prometheus.observability.svc:9090/api/v1/otlp/v1/metrics');
    expect(attrOf(blockOf(blocks, 'otelcol.exporter.otlphttp', 'loki'), 'logs_endpoint')).toBe('http://loki.observability.svc:3100/otlp/v1/logs');
    for (const e of blocks.filter((b) => b.name.startsWith('otelcol.exporter.'))) {
      expect(attrOf(sub(e, 'retry_on_failure'), 'enabled')).toBe(true);
      expect(attrOf(sub(e, 'sending_queue'), 'enabled')).toBe(true);
    }
    // memory limiter first, batching last, for every signal
    const receiverOut = sub(blockOf(blocks, 'otelcol.receiver.otlp'), 'output')!;
    for (const s of ['metrics', 'logs', 'traces']) expect(attrOf(receiverOut, s)).toEqual([{ expr: 'otelcol.processor.memory_limiter.default.input' }]);
  });

  it('refuses exporter labels Alloy would not load: one store for two signals of one exporter, a label that is no identifier', () => {
    expect(() => gatewayConfigBlocks({ ...input, logs: { ...input.logs, label: 'prometheus' } })).toThrow(/exporters for logs need labels of their own/);
    expect(() => gatewayConfigBlocks({ ...input, metrics: { ...input.metrics, label: 'metrics-store' } })).toThrow(/exporters for metrics need labels/);
    expect(() => gatewayConfigBlocks(input)).not.toThrow();
  });

  it('accepts only the signals whose store exists, and sends the Loki tenant header', () => {
    const noStores = renderGatewayConfig({ ...input, traces: undefined, logs: undefined });
    expect(noStores).not.toMatch(/traces|logs_endpoint|log_statements/);
    expect(referenceProblems(gatewayConfigBlocks({ ...input, traces: undefined, logs: undefined }))).toEqual([]);
    const tenant = gatewayConfigBlocks({ ...input, logs: { ...input.logs, headers: { 'X-Scope-OrgID': 'team-a' } } });
    expect(attrOf(sub(blockOf(tenant, 'otelcol.exporter.otlphttp', 'loki'), 'client'), 'headers')).toEqual({ 'X-Scope-OrgID': 'team-a' });
  });

  it('maps each attribute to the label the scraped and agent paths use, once, for Prometheus, Loki and Grafana alike', () => {
    expect(OTLP_ATTRIBUTE_LABELS.map((m) => `${m.attribute}->${m.label}`)).toEqual([
      'service.name->service', 'k8s.namespace.name->namespace', 'k8s.pod.name->pod', 'k8s.container.name->container',
    ]);
    expect(labelStatements()[0]).toBe('set(attributes["service"], attributes["service.name"]) where attributes["service.name"] != nil and attributes["service"] == nil');
    expect(prometheusOtlpPromotedLabels()).toEqual(['service', 'namespace', 'pod', 'container']);
    expect(lokiOtlpIndexLabels()).toEqual(['service', 'namespace', 'pod', 'container', 'cluster']);
    // Grafana's traces -> logs tags map the same attributes to the same labels.
    for (const t of SPAN_TAG_MAPPINGS) expect(OTLP_ATTRIBUTE_LABELS).toContainEqual({ attribute: t.key, label: t.value });
    const logs = (sub(blockOf(gatewayConfigBlocks(input), 'otelcol.processor.transform'), 'log_statements')!.body.find((s) => s.kind === 'attr' && s.name === 'statements') as any).value;
    expect(logs).toContain('set(attributes["cluster"], "kind")');
  });
});

describe('OTLP gateway objects and wiring', () => {
  const prod = buildEnv('prod');
  const objects = objectsOf(prod);

  it('runs Alloy as a non-root Deployment with its own Service on 4317 and 4318', () => {
    const d = find(objects, 'Deployment', 'otlp-gateway', NS);
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 473 });
    const c = d.spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/grafana/alloy:v1.18.1');
    expect(c.args[0]).toBe('run');
    expect(c.readinessProbe.httpGet.path).toBe('/-/ready');
    const svc = find(objects, 'Service', 'otlp-gateway', NS);
    expect(svc.spec.ports.map((p: any) => `${p.name}:${p.port}`)).toEqual(['otlp-grpc:4317', 'otlp-http:4318', 'http-metrics:12345']);
    expect(find(objects, 'PodDisruptionBudget', 'otlp-gateway', NS)).toBeDefined();
  });

  it('records the wires: any workload -> gateway; gateway -> Tempo, Prometheus, Loki', () => {
    const w = prod.wires.filter((x) => x.from === 'otlp-gateway' || x.to.component === 'otlp-gateway').map((x) => `${x.from} -> ${x.to.service}:${x.to.port} ${x.kind}`);
    expect(w.sort()).toEqual([
      'cluster-workloads -> otlp-gateway:4317 otlp', 'cluster-workloads -> otlp-gateway:4318 otlp',
      'otlp-gateway -> loki:3100 otlp', 'otlp-gateway -> prometheus:9090 otlp', 'otlp-gateway -> tempo:4317 otlp',
      'prometheus -> otlp-gateway:12345 scrape',
    ]);
    // large: logs go to Loki's write Service
    expect(buildEnv('large').wires.some((x) => x.from === 'otlp-gateway' && x.to.service === 'loki-write')).toBe(true);
  });

  it('NetworkPolicies let workloads outside the stack reach the gateway, and the gateway reach the stores', () => {
    const ingress = find(objects, 'NetworkPolicy', 'otlp-gateway-ingress', NS);
    const fromApps = ingress.spec.ingress.find((r: any) => r.from[0].namespaceSelector?.matchExpressions);
    expect(fromApps.ports.map((p: any) => p.port)).toEqual([4317, 4318]);
    const egress = find(objects, 'NetworkPolicy', 'otlp-gateway-egress', NS);
    expect(egress.spec.egress.map((r: any) => `${r.to[0].podSelector.matchLabels['app.kubernetes.io/name']}:${r.ports.map((p: any) => p.port).join(',')}`))
      .toEqual(['loki:3100', 'prometheus:9090', 'tempo:4317']);
    for (const [dst, port] of [['prometheus', 9090], ['loki', 3100], ['tempo', 4317]] as const) {
      const rules = find(objects, 'NetworkPolicy', `${dst}-ingress`, NS).spec.ingress;
      expect(rules.some((r: any) => r.from[0].podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'otlp-gateway' && r.ports.some((p: any) => p.port === port))).toBe(true);
    }
  });

  it('turns on Prometheus\'s OTLP receiver only with the gateway', () => {
    const args = (o: any[]) => find(o, 'StatefulSet', 'prometheus', NS).spec.template.spec.containers[0].args;
    expect(args(objects)).toContain('--web.enable-otlp-receiver');
    expect(args(objectsOf(buildEnv('prod', { otlpGateway: { enabled: false } })))).not.toContain('--web.enable-otlp-receiver');
  });
});

describe('example services in OTLP-for-everything mode (demo.otlp: all)', () => {
  const all = buildEnv('dev', { demo: { otlp: 'all' } });
  const objects = objectsOf(all);

  it('send every signal to the gateway and are not scraped', () => {
    const fe = find(objects, 'Deployment', 'demo-frontend', NS).spec.template;
    const env = Object.fromEntries(fe.spec.containers[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://otlp-gateway.${NS}.svc:4318`, OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_RESOURCE_ATTRIBUTES: expect.stringContaining('k8s.container.name=frontend'),
    });
    expect(fe.spec.containers[0].env.filter((e: any) => e.name === 'OTEL_RESOURCE_ATTRIBUTES')).toHaveLength(1);
    expect(fe.metadata.annotations ?? {}).not.toHaveProperty('prometheus.io/scrape');
    const w = all.wires.filter((x) => x.from.startsWith('demo-') || x.to.component.startsWith('demo-')).map((x) => `${x.from} -> ${x.to.service}:${x.to.port} ${x.kind}`);
    expect(w.sort()).toEqual([
      'demo-backend -> otlp-gateway:4318 otlp', 'demo-frontend -> demo-backend:8080 http', 'demo-frontend -> kafka:9092 kafka', 'demo-frontend -> otlp-gateway:4318 otlp',
      'demo-traffic -> demo-frontend:8080 http', 'demo-worker -> kafka:9092 kafka', 'demo-worker -> otlp-gateway:4318 otlp',
    ]);
    // The worker too: no scrape annotation, every signal to the gateway.
    const worker = find(objects, 'Deployment', 'demo-worker', NS).spec.template;
    expect(worker.metadata.annotations ?? {}).not.toHaveProperty('prometheus.io/scrape');
    expect(worker.spec.containers[0].env).toEqual(expect.arrayContaining([{ name: 'OTEL_METRICS_EXPORTER', value: 'otlp' }, { name: 'OTEL_LOGS_EXPORTER', value: 'otlp' }]));
  });

  it('the default stays /metrics, stdout logs and traces to Tempo', () => {
    const fe = find(objectsOf(buildEnv('dev')), 'Deployment', 'demo-frontend', NS).spec.template;
    expect(fe.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true' });
    expect(fe.spec.containers[0].env.map((e: any) => e.name)).not.toContain('OTEL_METRICS_EXPORTER');
  });

  it('refuses demo.otlp all without the gateway', () => {
    expect(errorOf({ demo: { otlp: 'all' }, otlpGateway: { enabled: false } }))
      .toContain('demo.otlp: "all" needs the OTLP gateway (otlpGateway.enabled is false); set otlpGateway.enabled: true, or demo.otlp: "traces"');
  });
});

describe('OTLP gateway validation', () => {
  it('sends traces over Tempo\'s OTLP/HTTP receiver when its gRPC one is off, and takes none without either', () => {
    const http = buildEnv('dev', { tempo: { receivers: { otlpGrpc: false, otlpHttp: true } } });
    expect(http.wires.filter((w) => w.from === 'otlp-gateway' && w.to.component === 'tempo').map((w) => w.to.port)).toEqual([4318]);
    const text = find(objectsOf(http), 'ConfigMap', 'otlp-gateway', NS).data['config.alloy'];
    expect(text).toMatch(new RegExp(`traces_endpoint\\s+= "http://tempo.${NS}.svc:4318/v1/traces"`));
    expect(referenceProblems(gatewayConfigBlocks({ ...input, traces: { ...input.traces, exporter: 'otlphttp', target: 'http://tempo.observability.svc:4318' } }))).toEqual([]);
    const none = buildEnv('dev', { tempo: { receivers: { otlpGrpc: false, otlpHttp: false, zipkin: true } }, demo: { enabled: false } });
    expect(none.wires.some((w) => w.from === 'otlp-gateway' && w.to.component === 'tempo')).toBe(false);
  });

  it('refuses bad limiter, batch, retry and port settings, each with its path (more cases in test/config/refused.test.ts)', () => {
    const msg = errorOf({
      otlpGateway: {
        memoryLimiter: { limit_percentage: 120 },
        batch: { send_batch_size: 100, send_batch_max_size: 10 },
        retry: { max_elapsed_time: 'soon' },
        ports: { grpc: 4317, http: 4317 },
      },
    });
    expect(msg).toContain('otlpGateway.memoryLimiter.limit_percentage: 120 is not a percentage; use e.g. 80 (an integer from 1 to 100)');
    expect(msg).toContain('otlpGateway.batch.send_batch_max_size: 10 is below send_batch_size (100)');
    expect(msg).toContain('otlpGateway.retry.max_elapsed_time: "soon" is not a Go duration');
    expect(msg).toContain('otlpGateway.ports.http: 4317 clashes with otlpGateway.ports.grpc');
  });

});
