/**
 * Wiring: every address one component uses to reach another must resolve, inside the output, to a Service
 * that exposes the port and selects a pod template whose container declares the target port.
 *
 * Addresses are found in ConfigMap data (any format: YAML, INI, Alloy, JSON are all scanned as text, so a
 * datasource URL or a remote-write URL is found whatever file holds it) and in container env values,
 * args and commands. Two patterns are recognised: `scheme://host[:port]` and a bare
 * `<service>.<namespace>.svc[.cluster.local]:<port>`. Loopback and wildcard hosts are local, not wiring.
 * Any other host is external and must be one of the config's external endpoints (`externalEndpoints` in
 * src/lib/external.ts, the same list the NetworkPolicies open egress for); none by default.
 */
import type { StackConfig } from '../../../src/config/types';
import { externalEndpoints } from '../../../src/lib/external';
import type { Wire } from '../../../src/lib/wiring';
import { type KubeObject, type Problem, containersOf, objectId, podTemplate, podTemplatePath, selects } from './problem';

/** External `host:port` the stack may reach on purpose, each with its reason: the config's external endpoints. */
export function externalAllowed(cfg: StackConfig): Array<{ readonly host: string; readonly reason: string }> {
  return externalEndpoints(cfg).flatMap((e) => (e.host === undefined ? [] : [{ host: `${e.host}:${e.port}`, reason: e.purpose }]));
}

/** Services every cluster has (not part of the output). */
export const CLUSTER_BUILTIN_SERVICES: ReadonlyArray<{ readonly service: string; readonly namespace: string; readonly port: number }> = [
  { service: 'kubernetes', namespace: 'default', port: 443 },
];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::', '[::]', '::1', '[::1]']);

export interface FoundAddress {
  readonly object: KubeObject;
  /** Where the text was found, e.g. `/data/prometheus.yaml` or `/spec/template/spec/containers/0/env/2/value`. */
  readonly path: string;
  readonly text: string;
  readonly scheme?: string;
  readonly host: string;
  readonly port: number;
}

const URL_RE = /\b([a-z][a-z0-9+.-]*):\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d+))?/g;
const SVC_RE = /(?<![A-Za-z0-9.:/-])([a-z0-9]([a-z0-9-]*[a-z0-9])?\.[a-z0-9]([a-z0-9-]*[a-z0-9])?\.svc(?:\.cluster\.local)?):(\d+)\b/g;
/** A StatefulSet pod by name on its headless Service: `<pod>.<service>.<namespace>.svc:<port>`. */
const POD_RE = /(?<![A-Za-z0-9.:/-])([a-z0-9-]+\.[a-z0-9-]+\.[a-z0-9-]+\.svc(?:\.cluster\.local)?):(\d+)\b/g;
const POD_HOST = /^([a-z0-9-]+)\.([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443, grpc: 80, grpcs: 443 };
/** Schemes that name a network address (others, like `file://` or `data:` never reach the network). */
const NETWORK_SCHEMES = new Set(['http', 'https', 'ws', 'wss', 'grpc', 'grpcs', 'dns', 'tcp', 'udp']);

/** Addresses in one piece of text. */
export function findAddresses(object: KubeObject, path: string, text: string): FoundAddress[] {
  const out: FoundAddress[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(URL_RE)) {
    const scheme = m[1].toLowerCase();
    if (!NETWORK_SCHEMES.has(scheme)) continue;
    const port = m[3] !== undefined ? Number(m[3]) : DEFAULT_PORTS[scheme];
    if (port === undefined) continue;
    seen.add(`${m[2]}:${port}`);
    out.push({ object, path, text: m[0], scheme, host: m[2].toLowerCase(), port });
  }
  for (const m of text.matchAll(SVC_RE)) {
    if (seen.has(`${m[1]}:${m[4]}`)) continue;
    out.push({ object, path, text: m[0], host: m[1].toLowerCase(), port: Number(m[4]) });
  }
  for (const m of text.matchAll(POD_RE)) {
    if (seen.has(`${m[1]}:${m[2]}`)) continue;
    out.push({ object, path, text: m[0], host: m[1].toLowerCase(), port: Number(m[2]) });
  }
  return out;
}

/**
 * Why `<pod>.<service>.<namespace>.svc:<port>` does not reach a pod, or undefined when it does: the
 * Service is headless and exposes the port, a StatefulSet governed by it runs a pod of that name (`<name>-<i>`,
 * `i` below its replicas), and the Service resolves to that pod's port.
 */
export function resolvePodAddress(objects: readonly KubeObject[], host: string, port: number): string | undefined {
  const m = POD_HOST.exec(host);
  if (!m) return `${host} is not <pod>.<service>.<namespace>.svc`;
  const [, pod, service, namespace] = m;
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === service && o.metadata.namespace === namespace);
  if (svc && svc.spec?.clusterIP !== 'None') return `Service ${namespace}/${service} is not headless, so it has no per-pod names`;
  const sts = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.namespace === namespace && o.spec?.serviceName === service
    && pod.startsWith(`${o.metadata.name}-`) && /^\d+$/.test(pod.slice(o.metadata.name.length + 1)));
  if (!sts) return `no StatefulSet governed by Service ${namespace}/${service} names a pod ${pod}`;
  const index = Number(pod.slice(sts.metadata.name.length + 1));
  if (index >= (sts.spec.replicas ?? 1)) return `StatefulSet ${namespace}/${sts.metadata.name} runs ${sts.spec.replicas ?? 1} replica(s), so there is no pod ${pod}`;
  return resolveServicePort(objects, service, namespace, port);
}

/**
 * Links for people, not connections the stack makes: alert annotations `runbook_url` (a YAML line of a rule
 * file) are left out of the scan.
 */
function withoutHumanLinks(text: string): string {
  return text.replace(/^\s*runbook_url: .*$/gm, '');
}

/** Every address in ConfigMap data and container env/args/command. */
export function collectAddresses(objects: readonly KubeObject[]): FoundAddress[] {
  const out: FoundAddress[] = [];
  for (const o of objects) {
    if (o.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries(o.data ?? {})) if (typeof v === 'string') out.push(...findAddresses(o, `/data/${k}`, withoutHumanLinks(v)));
    }
    const tpl = podTemplate(o);
    if (!tpl) continue;
    for (const { container: c, path } of containersOf(tpl.spec, podTemplatePath(o))) {
      (c.env ?? []).forEach((e: { value?: string }, i: number) => { if (typeof e.value === 'string') out.push(...findAddresses(o, `${path}/env/${i}/value`, e.value)); });
      for (const field of ['args', 'command'] as const) {
        (c[field] ?? []).forEach((a: unknown, i: number) => { if (typeof a === 'string') out.push(...findAddresses(o, `${path}/${field}/${i}`, a)); });
      }
    }
  }
  return out;
}

/** Splits a host into Service and namespace; a bare name lives in `defaultNamespace`. */
export function serviceOfHost(host: string, defaultNamespace: string | undefined): { service: string; namespace: string } | undefined {
  const m = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(host);
  if (m) return { service: m[1], namespace: m[2] };
  const short = /^([a-z0-9-]+)(?:\.([a-z0-9-]+))?$/.exec(host);
  if (short && short[2] !== undefined && !host.includes('.svc')) {
    // `name.namespace` resolves through the pod's search path too, but a two-label host is more often a
    // public domain (example.com); the stack always writes `.svc`, so treat it as external.
    return undefined;
  }
  if (short && defaultNamespace !== undefined) return { service: short[1], namespace: defaultNamespace };
  return undefined;
}

/**
 * Why `service.namespace:port` does not reach a pod, or undefined when it does: the Service exists,
 * exposes the port, selects a pod template, and a selected container declares the target port.
 */
export function resolveServicePort(objects: readonly KubeObject[], service: string, namespace: string, port: number): string | undefined {
  if (CLUSTER_BUILTIN_SERVICES.some((b) => b.service === service && b.namespace === namespace && b.port === port)) return undefined;
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === service && o.metadata.namespace === namespace);
  if (!svc) return `no Service ${namespace}/${service} in the output`;
  const sp = (svc.spec?.ports ?? []).find((x: { port: number }) => x.port === port);
  if (!sp) return `Service ${namespace}/${service} does not expose port ${port} (ports: ${(svc.spec?.ports ?? []).map((x: { port: number }) => x.port).join(', ')})`;
  const selector = svc.spec?.selector as Record<string, string> | undefined;
  const templates = objects.filter((o) => o.metadata.namespace === namespace && selects(selector, podTemplate(o)?.metadata?.labels));
  if (templates.length === 0) return `Service ${namespace}/${service} selects no pod template`;
  const target = sp.targetPort ?? sp.port;
  const declares = templates.some((w) => containersOf(podTemplate(w)!.spec, '').some(({ container }) =>
    (container.ports ?? []).some((cp: { name?: string; containerPort: number }) => (typeof target === 'string' ? cp.name === target : cp.containerPort === target))));
  if (!declares) return `no container selected by Service ${namespace}/${service} declares target port ${JSON.stringify(target)}`;
  return undefined;
}

/** Ingress hosts of the output, with the backend each serves. */
function ingressBackend(objects: readonly KubeObject[], host: string): { service: string; namespace: string; port: number } | 'no-port' | undefined {
  for (const ing of objects.filter((o) => o.kind === 'Ingress')) {
    for (const rule of ing.spec?.rules ?? []) {
      if (rule.host !== host) continue;
      const b = rule.http?.paths?.[0]?.backend?.service;
      if (!b) return 'no-port';
      const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === b.name && o.metadata.namespace === ing.metadata.namespace);
      const sp = (svc?.spec?.ports ?? []).find((x: { name?: string; port: number }) => (b.port?.name !== undefined ? x.name === b.port.name : x.port === b.port?.number));
      return sp ? { service: b.name, namespace: ing.metadata.namespace!, port: sp.port } : 'no-port';
    }
  }
  return undefined;
}

export function checkWiring(objects: readonly KubeObject[], allowed: ReadonlyArray<{ host: string }> = []): Problem[] {
  const out: Problem[] = [];
  for (const a of collectAddresses(objects)) {
    const p = (message: string) => out.push({ check: 'wiring', object: objectId(a.object), path: a.path, message: `${a.text}: ${message}` });
    if (LOCAL_HOSTS.has(a.host)) continue;
    if (allowed.some((e) => e.host === a.host || e.host === `${a.host}:${a.port}`)) continue;
    const ing = ingressBackend(objects, a.host);
    if (ing === 'no-port') { p(`Ingress for ${a.host} has no resolvable backend`); continue; }
    if (ing) {
      const why = resolveServicePort(objects, ing.service, ing.namespace, ing.port);
      if (why) p(`through the Ingress for ${a.host}: ${why}`);
      continue;
    }
    if (POD_HOST.test(a.host)) {
      const why = resolvePodAddress(objects, a.host, a.port);
      if (why) p(why);
      continue;
    }
    const target = serviceOfHost(a.host, a.object.metadata.namespace);
    if (!target) { p(`external host ${a.host} is not an external endpoint of the config (externalEndpoints in src/lib/external.ts)`); continue; }
    const why = resolveServicePort(objects, target.service, target.namespace, a.port);
    if (why) p(why);
  }
  return out;
}

/**
 * Every wire the composition root recorded must resolve as well, except wires to what the cluster runs
 * outside the output (the kubelets on node addresses, CoreDNS's pods): no Service of the output stands for
 * them, and the NetworkPolicy tests cover those flows. The API server resolves as the built-in Service.
 */
export function checkWires(wires: readonly Wire[], objects: readonly KubeObject[]): Problem[] {
  const outside = (w: Wire) => w.to.peer?.kind === 'cluster-pods' || (w.to.peer?.kind === 'nodes' && !w.to.peer.ownPods);
  return wires.filter((w) => !outside(w)).flatMap((w) => {
    const why = resolveServicePort(objects, w.to.service, w.to.namespace, w.to.port);
    return why ? [{ check: 'wiring', object: `wire ${w.from} -> ${w.to.component}`, path: w.to.address, message: `${w.purpose}: ${why}` }] : [];
  });
}
