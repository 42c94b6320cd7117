/**
 * What an environment deploys, for people: a table per component (image, objects, requests and limits,
 * storage, retention, endpoints), warnings, and a Mermaid diagram of the wiring. Everything is derived from
 * the synthesized objects and the recorded wires, so it cannot drift from what is applied.
 */
import { parseQuantity } from '../config/units';
import type { StackConfig } from '../config/types';
import type { StackBuild } from '../stack';
import type { Wire } from '../lib/wiring';
import { otlpGrpcEndpoint, otlpHttpEndpoint } from '../lib/endpoints';
import { chartObjects } from '../lib/chart-objects';
import { DATA_VOLUME } from '../lib/kube';
import { userSecrets } from '../lib/user-secrets';
import { portForwardHint } from '../components/grafana/grafana';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = any;

export interface ComponentSummary {
  readonly component: string;
  readonly images: string[];
  readonly objects: number;
  /** `per-node` for DaemonSets (the figures are for one node), `total` otherwise. */
  readonly scope: 'total' | 'per-node' | 'none';
  readonly requests: { cpu: number; memory: number };
  readonly limits: { cpu: number; memory: number };
  /** Bytes of persistent (claim) or ephemeral (emptyDir data) storage. */
  readonly storage: { bytes: number; persistent: boolean } | undefined;
  readonly retention: string | undefined;
  readonly endpoints: string[];
}

export interface EnvironmentSummary {
  readonly environment: string;
  readonly components: ComponentSummary[];
  /** Sum over components whose scope is `total`, plus one node's worth of DaemonSets. */
  readonly total: { requests: { cpu: number; memory: number }; limits: { cpu: number; memory: number } };
  readonly warnings: string[];
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

function sumContainers(pod: Obj, replicas: number, field: 'requests' | 'limits'): { cpu: number; memory: number } {
  let cpu = 0;
  let memory = 0;
  for (const c of [...(pod.containers ?? []), ...(pod.initContainers ?? []).filter((i: Obj) => i.restartPolicy === 'Always')]) {
    cpu += (parseQuantity(c.resources?.[field]?.cpu) ?? 0) * replicas;
    memory += (parseQuantity(c.resources?.[field]?.memory) ?? 0) * replicas;
  }
  return { cpu, memory };
}

/** Retention each component keeps its data for, from the config (the only place it is set). */
function retentionOf(component: string, cfg: StackConfig): string | undefined {
  switch (component) {
    case 'prometheus': return cfg.prometheus.retention;
    case 'loki': return cfg.loki.retention;
    case 'tempo': return cfg.tempo.retention;
    default: return undefined;
  }
}

function storageOf(objects: readonly Obj[]): ComponentSummary['storage'] {
  let bytes = 0;
  let persistent = false;
  let found = false;
  for (const o of objects) {
    if (o.kind === 'PersistentVolumeClaim') {
      bytes += parseQuantity(o.spec.resources.requests.storage) ?? 0;
      persistent = found = true;
    }
    if (!WORKLOAD_KINDS.includes(o.kind)) continue;
    for (const t of o.spec.volumeClaimTemplates ?? []) {
      bytes += parseQuantity(t.spec.resources.requests.storage) ?? 0;
      persistent = found = true;
    }
    for (const v of o.spec.template.spec.volumes ?? []) {
      // The data volume as an emptyDir stands in for a claim in dev.
      if (v.emptyDir && v.name === DATA_VOLUME) {
        bytes += parseQuantity(v.emptyDir.sizeLimit) ?? 0;
        found = true;
      }
    }
  }
  return found ? { bytes, persistent } : undefined;
}

export function summarizeComponent(component: string, objects: readonly Obj[], cfg: StackConfig): ComponentSummary {
  const requests = { cpu: 0, memory: 0 };
  const limits = { cpu: 0, memory: 0 };
  const images = new Set<string>();
  let scope: ComponentSummary['scope'] = 'none';
  for (const o of objects.filter((x) => WORKLOAD_KINDS.includes(x.kind))) {
    const perNode = o.kind === 'DaemonSet';
    scope = perNode ? 'per-node' : 'total';
    const replicas = perNode ? 1 : (o.spec.replicas ?? 1);
    const pod = o.spec.template.spec;
    for (const c of pod.containers) images.add(c.image);
    const r = sumContainers(pod, replicas, 'requests');
    const l = sumContainers(pod, replicas, 'limits');
    requests.cpu += r.cpu; requests.memory += r.memory;
    limits.cpu += l.cpu; limits.memory += l.memory;
  }
  const endpoints = objects
    .filter((o) => o.kind === 'Service')
    .flatMap((s) => (s.spec.ports ?? []).map((p: Obj) => `${s.metadata.name}:${p.port} (${p.name})`));
  return {
    component,
    images: [...images],
    objects: objects.length,
    scope,
    requests,
    limits,
    storage: storageOf(objects),
    retention: retentionOf(component, cfg),
    endpoints,
  };
}

/** Warnings a reviewer should see, printed once per environment. */
export function environmentWarnings(cfg: StackConfig): string[] {
  const w: string[] = [];
  if (cfg.loki.enabled && cfg.logAgent === 'promtail') {
    w.push("promtail is end of life (since 2026-03-02); logAgent: 'alloy' is the maintained choice");
  }
  if (cfg.grafana.enabled && cfg.grafana.adminSecret.name === '') {
    w.push('Grafana uses its first-login admin password (admin/admin, change forced at first login); set grafana.adminSecret.name outside a laptop cluster');
  }
  const ephemeral = (['prometheus', 'loki', 'tempo', 'grafana'] as const).filter((c) => cfg[c].storage.persistent === false && (c === 'prometheus' || cfg[c].enabled));
  if (ephemeral.length > 0) w.push(`data of ${ephemeral.join(', ')} is on emptyDir volumes and is lost when a pod moves`);
  return w;
}

export function summarize(build: StackBuild): EnvironmentSummary {
  const cfg = build.env.config;
  const components = build.charts
    .filter((c) => !c.node.id.startsWith('00-'))
    .map((c) => summarizeComponent(c.node.id, chartObjects(c), cfg));
  const total = { requests: { cpu: 0, memory: 0 }, limits: { cpu: 0, memory: 0 } };
  for (const c of components) {
    total.requests.cpu += c.requests.cpu; total.requests.memory += c.requests.memory;
    total.limits.cpu += c.limits.cpu; total.limits.memory += c.limits.memory;
  }
  return { environment: build.env.name, components, total, warnings: environmentWarnings(cfg) };
}

export function formatCpu(cores: number): string {
  return cores === 0 ? '-' : Number.isInteger(cores) ? String(cores) : `${Math.round(cores * 1000)}m`;
}

export function formatBytes(bytes: number): string {
  if (bytes === 0) return '-';
  const gi = bytes / 2 ** 30;
  return gi >= 1 && Number.isInteger(Math.round(gi * 100) / 100) ? `${Math.round(gi * 100) / 100}Gi` : `${Math.round(bytes / 2 ** 20)}Mi`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** The summary as a Markdown table (also readable in a terminal). */
export function summaryTable(s: EnvironmentSummary): string {
  const lines = [
    row(['component', 'image', 'objects', 'cpu req/lim', 'memory req/lim', 'storage', 'retention', 'endpoints']),
    row(['---', '---', '---:', '---', '---', '---', '---', '---']),
  ];
  for (const c of s.components) {
    const perNode = c.scope === 'per-node' ? ' per node' : '';
    lines.push(row([
      c.component,
      c.images.map((i) => `\`${i}\``).join(', ') || '-',
      String(c.objects),
      `${formatCpu(c.requests.cpu)} / ${formatCpu(c.limits.cpu)}${perNode}`,
      `${formatBytes(c.requests.memory)} / ${formatBytes(c.limits.memory)}${perNode}`,
      c.storage ? `${formatBytes(c.storage.bytes)} ${c.storage.persistent ? 'PVC' : 'emptyDir'}` : '-',
      c.retention ?? '-',
      c.endpoints.join(', ') || '-',
    ]));
  }
  lines.push(row([
    '**total** (DaemonSets: one node)', '', String(s.components.reduce((n, c) => n + c.objects, 0)),
    `${formatCpu(s.total.requests.cpu)} / ${formatCpu(s.total.limits.cpu)}`,
    `${formatBytes(s.total.requests.memory)} / ${formatBytes(s.total.limits.memory)}`, '', '', '',
  ]));
  return lines.join('\n');
}

function nodeId(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}

/** Mermaid flowchart of the wires: who pushes to, scrapes or queries whom, on which port. */
export function wiringDiagram(wires: readonly Wire[]): string {
  const nodes = new Set<string>();
  const edges: string[] = [];
  const seen = new Set<string>();
  for (const w of wires) {
    const to = w.to.component;
    const label = `${w.kind} :${w.to.port}`;
    const key = `${w.from}|${to}|${label}`;
    if (seen.has(key)) continue;
    seen.add(key);
    nodes.add(w.from);
    nodes.add(to);
    edges.push(`  ${nodeId(w.from)} -->|${label}| ${nodeId(to)}`);
  }
  const declarations = [...nodes].sort().map((n) => `  ${nodeId(n)}["${n}"]`);
  return ['```mermaid', 'flowchart LR', ...declarations, ...edges, '```'].join('\n');
}

/** `dist/<env>/README.md`. */
export function environmentReadme(build: StackBuild): string {
  const s = summarize(build);
  const parts = [
    `# obs-stack: ${s.environment}`,
    '',
    'Generated by `npm run synth`; do not edit. Apply with `kubectl apply --server-side -f manifests/` (or `-k manifests/`).',
    '',
    '## Components',
    '',
    summaryTable(s),
    '',
  ];
  if (s.warnings.length > 0) parts.push('## Warnings', '', ...s.warnings.map((w) => `- ${w}`), '');
  const secrets = userSecrets(build.env.config);
  if (secrets.length > 0) {
    parts.push('## Secrets to create before applying', '', 'obs-stack never writes secret material; these are referenced by name.', '',
      row(['namespace', 'Secret', 'keys', 'what for']), row(['---', '---', '---', '---']),
      ...secrets.map((x) => row([x.namespace, `\`${x.name}\``, x.keys.map((k) => `\`${k}\``).join(', ') || '-', x.purpose])), '');
  }
  const g = build.env.config.grafana;
  if (g.enabled) {
    parts.push('## Open Grafana', '');
    if (g.ingress.enabled) parts.push(`${g.ingress.tlsSecretName !== undefined ? 'https' : 'http'}://${g.ingress.host}/`, '');
    else parts.push('```sh', portForwardHint(build.endpoints.grafana.http).replace(', then ', '\n# then '), '```', '');
  }
  if (build.env.config.tempo.enabled) {
    const r = build.env.config.tempo.receivers;
    parts.push('## Sending traces from your services', '', 'Set these on any workload in the cluster that speaks OpenTelemetry:', '', '```sh');
    if (r.otlpHttp) parts.push(`OTEL_EXPORTER_OTLP_ENDPOINT=${otlpHttpEndpoint(build.endpoints)}`, 'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf');
    if (r.otlpGrpc) parts.push(`${r.otlpHttp ? '# or gRPC: ' : ''}OTEL_EXPORTER_OTLP_ENDPOINT=${otlpGrpcEndpoint(build.endpoints)}${r.otlpHttp ? '' : '\nOTEL_EXPORTER_OTLP_PROTOCOL=grpc'}`);
    parts.push('```', '');
  }
  parts.push('## Wiring', '', wiringDiagram(build.wires), '');
  return parts.join('\n');
}
