/**
 * What an environment deploys, for people: a table per component (image, objects, requests and limits,
 * storage, retention, endpoints), warnings, and a Mermaid diagram of the wiring. Everything is derived from
 * the synthesized objects and the recorded wires, so it cannot drift from what is applied.
 */
import { parseQuantity } from '../config/units';
import type { StackConfig } from '../config/types';
import { chartObjects } from '../lib/chart-objects';
import type { StackBuild } from '../stack';
import type { Wire } from '../lib/wiring';
import { DATA_VOLUME } from '../lib/kube';
import { type UserSecret, userSecrets } from '../lib/user-secrets';
import { placeholders } from '../config/placeholders';
import type { ComponentReadme, OwnTelemetry, StackComponent } from '../components/component';
import { REGISTRY } from '../components/registry';

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

/** The README parts of the components this config deploys, in registry order. */
function enabledReadmes(cfg: StackConfig): Array<{ readonly component: StackComponent<string>; readonly readme: ComponentReadme }> {
  return REGISTRY.filter((c) => c.readme !== undefined && c.enabled(cfg)).map((c) => ({ component: c, readme: c.readme! }));
}

/** Retention the component keeps its data for, from the config (the only place it is set). */
function retentionOf(component: string, cfg: StackConfig): string | undefined {
  return REGISTRY.find((c) => c.id === component)?.readme?.retention?.(cfg);
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
  const readmes = enabledReadmes(cfg);
  const w = readmes.flatMap(({ readme }) => readme.warnings?.(cfg) ?? []);
  const ephemeral = readmes.filter(({ readme }) => readme.ephemeralData?.(cfg) === true).map(({ component }) => component.id);
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

/**
 * Mermaid flowchart of the wires: who pushes to, scrapes or queries whom, on which port. Edges are sorted
 * (source, destination, port), so the diagram does not depend on the order the wires were recorded in.
 */
export function wiringDiagram(wires: readonly Wire[]): string {
  const nodes = new Set<string>();
  const edges = new Map<string, string>();
  for (const w of wires) {
    const to = w.to.component;
    const label = `${w.kind} :${w.to.port}`;
    nodes.add(w.from);
    nodes.add(to);
    edges.set(`${w.from}\u0000${to}\u0000${String(w.to.port).padStart(5, '0')}\u0000${w.kind}`, `  ${nodeId(w.from)} -->|${label}| ${nodeId(to)}`);
  }
  const declarations = [...nodes].sort().map((n) => `  ${nodeId(n)}["${n}"]`);
  const sorted = [...edges.keys()].sort().map((k) => edges.get(k)!);
  return ['```mermaid', 'flowchart LR', ...declarations, ...sorted, '```'].join('\n');
}

/** The `kubectl` line that creates one of the user's Secrets, with `<...>` where the user's values go. */
export function secretCommand(secret: UserSecret): string {
  const ns = `kubectl -n ${secret.namespace} create secret`;
  if (secret.command !== undefined) return secret.command;
  if (secret.purpose.includes('secret tls')) return `${ns} tls ${secret.name} --cert=<certificate.pem> --key=<key.pem>`;
  if (secret.purpose.includes('docker-registry')) return `${ns} docker-registry ${secret.name} --docker-server=<registry> --docker-username=<user> --docker-password=<password>`;
  const keys = secret.keys.map((k) => (k.endsWith('.json') ? `--from-file=${k}=<${k}>` : `--from-literal=${k}=<${k}>`));
  return `${ns} generic ${secret.name} ${keys.join(' ')}`;
}

/** `rollout status` for every workload, namespaces in order: waits until each has rolled out, whatever exists yet. */
function rolloutCommands(build: StackBuild): string[] {
  return build.charts.flatMap((c) => chartObjects(c) as Obj[])
    .filter((o) => WORKLOAD_KINDS.includes(o.kind))
    .map((o) => `kubectl -n ${o.metadata.namespace} rollout status ${o.kind.toLowerCase()}/${o.metadata.name} --timeout=10m`);
}

/** A count for people: `16384` → `16k` (thousands rounded down), smaller numbers as they are. */
export function formatCount(n: number): string {
  return n >= 10_000 ? `${Math.floor(n / 1000)}k` : String(n);
}

/** One column of the "Sized for" table, and whether its component is deployed. */
export interface Capacity {
  readonly label: string;
  readonly value: number;
  readonly enabled: boolean;
}

/**
 * What the environment's limits are sized for (each component's `sizing.ts`): the scale at which a limit,
 * not the workload, starts refusing data, in registry order (the README's scaling table).
 */
export function capacityOf(cfg: StackConfig): Capacity[] {
  return REGISTRY.flatMap((c) => (c.readme?.capacity?.(cfg) ?? []).map((f) => ({ ...f, enabled: c.enabled(cfg) })));
}

/** `capacityOf` as a Markdown table; components that are off show `-`. */
export function capacityTable(cfg: StackConfig): string {
  const c = capacityOf(cfg);
  return [
    row(c.map((f) => f.label)),
    row(c.map(() => '---:')),
    row(c.map((f) => (f.enabled ? formatCount(f.value) : '-'))),
  ].join('\n');
}

/** `dist/<env>/README.md`: what the environment deploys, and how to apply it in the order that works. */
export function environmentReadme(build: StackBuild): string {
  const s = summarize(build);
  const cfg = build.env.config;
  const env = build.env.name;
  const manifests = `dist/${env}/manifests`;
  const parts = [
    `# obs-stack: ${s.environment}`,
    '',
    'Generated by `npm run synth`; do not edit.',
    '',
    '## Components',
    '',
    summaryTable(s),
    '',
    '## Sized for',
    '',
    'What the limits obs-stack derives from the resources above allow. Past the sample, stream and rate limits data is refused',
    '(and counted) rather than a pod running out of memory; active series is the budget Prometheus\'s memory limit holds.',
    'How each figure is derived: the obs-stack README, "How the limits scale".',
    '',
    capacityTable(build.env.config),
    '',
  ];
  if (s.warnings.length > 0) parts.push('## Warnings', '', ...s.warnings.map((w) => `- ${w}`), '');
  const marks = placeholders(cfg, build.env.profile);
  if (marks.length > 0) {
    parts.push('## Placeholders to edit before applying', '',
      'These values stand for yours; change them in `src/config/environments.ts` (this environment\'s overrides) and run `npm run synth`.', '',
      row(['config field', 'placeholder']), row(['---', '---']), ...marks.map((m) => row([`\`${m.path}\``, `\`${m.value}\``])), '');
  }
  const readmes = enabledReadmes(cfg);
  const tools = readmes.flatMap(({ readme }) => readme.requirements?.(cfg) ?? []);
  parts.push('## Requirements', '', `kubectl 1.27 or newer (server-side apply)${tools.map((t) => `, ${t}`).join('')}.`, '');
  parts.push('## Apply, in this order', '', '```sh', '# 1. the namespaces (and the PriorityClass, if any)', `kubectl apply --server-side -f ${manifests}/00-namespaces.yaml`);
  const secrets = userSecrets(cfg);
  if (secrets.length > 0) {
    parts.push('', '# 2. the Secrets obs-stack references (it never writes secret material)', ...secrets.map((x) => secretCommand(x)));
  }
  for (const { readme } of readmes) parts.push(...readme.beforeApply?.(cfg) ?? []);
  parts.push('', '# then everything else', `kubectl apply --server-side -f ${manifests}/`, '', '# wait until every workload has rolled out', ...rolloutCommands(build), '```', '');
  if (secrets.length > 0) {
    parts.push('### Secrets', '', row(['namespace', 'Secret', 'keys', 'what for']), row(['---', '---', '---', '---']),
      ...secrets.map((x) => row([x.namespace, `\`${x.name}\``, x.keys.map((k) => `\`${k}\``).join(', ') || '-', x.purpose])), '');
  }
  for (const { readme } of readmes) parts.push(...readme.access?.(build) ?? []);
  parts.push(...ownTelemetry(build), '## Wiring', '', wiringDiagram(build.wires), '');
  return parts.join('\n');
}

/** The order of "Send your own application's telemetry": one endpoint for every signal first. */
const SIGNAL_ORDER: readonly OwnTelemetry['signal'][] = ['otlp', 'metrics', 'logs', 'traces'];

/** How a user's own application gets its metrics, logs and traces into this stack. */
function ownTelemetry(build: StackBuild): string[] {
  const parts = enabledReadmes(build.env.config).flatMap(({ readme }) => readme.ownTelemetry?.(build) ?? [])
    .sort((a, b) => SIGNAL_ORDER.indexOf(a.signal) - SIGNAL_ORDER.indexOf(b.signal));
  return ['## Send your own application\'s telemetry', '', ...parts.flatMap((p) => p.lines)];
}
