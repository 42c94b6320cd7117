/**
 * Invariants of the component model, read from the output (objects, wires, the environment README), not
 * from the components' own descriptors:
 * - every pod that reads a ConfigMap of the output carries the hash of exactly that data (`checksum/config`);
 * - every in-stack address in a rendered config, env var or argument is covered by a wire from the
 *   component whose object holds it;
 * - every workload of the stack behind a Service is reached by a wire, scraped, let in by a NetworkPolicy
 *   and drawn in the wiring diagram.
 */
import { createHash } from 'node:crypto';
import type { Wire } from '../../../src/lib/wiring';
import { type KubeObject, type Problem, WORKLOAD_KINDS, containersOf, objectId, podTemplate, podTemplatePath, selects } from './problem';
import { collectAddresses, serviceOfHost } from './wiring';

const NAME_LABEL = 'app.kubernetes.io/name';
const CHECKSUM = 'checksum/config';

/** ConfigMap names a pod spec reads: volumes, projected volumes, envFrom and env. */
function configMapsRead(spec: KubeObject['spec']): string[] {
  const names = new Set<string>();
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) names.add(v.configMap.name);
    for (const s of v.projected?.sources ?? []) if (s.configMap?.name) names.add(s.configMap.name);
  }
  for (const { container } of containersOf(spec, '')) {
    for (const e of container.envFrom ?? []) if (e.configMapRef?.name) names.add(e.configMapRef.name);
    for (const e of container.env ?? []) if (e.valueFrom?.configMapKeyRef?.name) names.add(e.valueFrom.configMapKeyRef.name);
  }
  return [...names].sort();
}

/** sha256 over name, then each key (sorted) and value, every part prefixed with its byte length. */
function expectedChecksum(configMaps: readonly KubeObject[]): string {
  const h = createHash('sha256');
  const part = (p: string) => h.update(`${Buffer.byteLength(p)}:${p}`);
  for (const cm of configMaps) {
    part(cm.metadata.name);
    const data = (cm.data ?? {}) as Record<string, string>;
    for (const k of Object.keys(data).sort()) { part(k); part(data[k]); }
  }
  return h.digest('hex');
}

export function checkConfigChecksums(objects: readonly KubeObject[]): Problem[] {
  const out: Problem[] = [];
  for (const o of objects) {
    const tpl = podTemplate(o);
    if (!tpl || o.kind === 'Pod') continue;
    const ns = o.metadata.namespace;
    const read = configMapsRead(tpl.spec)
      .map((n) => objects.find((c) => c.kind === 'ConfigMap' && c.metadata.name === n && c.metadata.namespace === ns))
      .filter((c): c is KubeObject => c !== undefined);
    const actual = tpl.metadata?.annotations?.[CHECKSUM];
    const path = `${podTemplatePath(o)}/metadata/annotations/${CHECKSUM.replace('/', '~1')}`;
    if (read.length === 0) {
      if (actual !== undefined) out.push({ check: 'checksum', object: objectId(o), path, message: 'reads no ConfigMap of the output but carries a config checksum' });
      continue;
    }
    const expected = expectedChecksum(read);
    if (actual !== expected) {
      out.push({
        check: 'checksum', object: objectId(o), path,
        message: `is ${JSON.stringify(actual)}, not the hash of the ConfigMaps it reads (${read.map((c) => c.metadata.name).join(', ')}): a change to them would not roll the pods`,
      });
    }
  }
  return out;
}

/** The component an object belongs to: its pod template's, else its own `app.kubernetes.io/name`. */
function componentOf(o: KubeObject): string | undefined {
  return podTemplate(o)?.metadata?.labels?.[NAME_LABEL] ?? o.metadata.labels?.[NAME_LABEL];
}

/**
 * Every address of a Service of the output found in an object (ConfigMap data, env, args) must be the
 * destination of a wire whose source is the object's component: otherwise the NetworkPolicies, built from
 * the wires, would block the connection the config asks for.
 */
export function checkAddressesWired(objects: readonly KubeObject[], wires: readonly Wire[]): Problem[] {
  const out: Problem[] = [];
  const services = new Set(objects.filter((o) => o.kind === 'Service').map((o) => `${o.metadata.name}.${o.metadata.namespace}`));
  for (const a of collectAddresses(objects)) {
    const target = serviceOfHost(a.host, a.object.metadata.namespace);
    if (!target || !services.has(`${target.service}.${target.namespace}`)) continue;
    const from = componentOf(a.object);
    const wired = wires.some((w) => w.from === from && w.to.service === target.service && w.to.namespace === target.namespace && w.to.port === a.port);
    if (!wired) {
      out.push({
        check: 'wired', object: objectId(a.object), path: a.path,
        message: `${a.text}: no wire from ${from ?? '(no component label)'} to ${target.service}.${target.namespace}:${a.port}; the NetworkPolicies would block it`,
      });
    }
  }
  return out;
}

/**
 * Every workload of the stack that a Service selects: some wire reaches it, Prometheus scrapes it if it
 * declares a metrics port (`http-metrics`, `*-metrics`), an ingress NetworkPolicy selects it (when policies are on), and the diagram draws it.
 */
export function checkComponentsCovered(objects: readonly KubeObject[], wires: readonly Wire[], diagram: string, policiesOn: boolean): Problem[] {
  const out: Problem[] = [];
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && (o.spec?.policyTypes ?? []).includes('Ingress') && (o.spec?.ingress ?? []).length > 0);
  for (const o of objects.filter((x) => WORKLOAD_KINDS.includes(x.kind))) {
    const tpl = podTemplate(o)!;
    const name = tpl.metadata?.labels?.[NAME_LABEL];
    const served = objects.some((svc) => svc.kind === 'Service' && svc.metadata.namespace === o.metadata.namespace && selects(svc.spec?.selector, tpl.metadata?.labels));
    if (name === undefined || !served) continue;
    const p = (message: string) => out.push({ check: 'coverage', object: objectId(o), path: podTemplatePath(o), message: `${name} ${message}` });
    const inbound = wires.filter((w) => w.to.component === name);
    if (inbound.length === 0) p('is reached by no wire');
    const metricsPort = containersOf(tpl.spec, '').some(({ container }) => (container.ports ?? []).some((cp: { name?: string }) => /(^|-)metrics$/.test(cp.name ?? '')));
    if (metricsPort && !inbound.some((w) => w.kind === 'scrape' && w.from === 'prometheus')) p('declares a metrics port but is not scraped by Prometheus');
    if (policiesOn && !policies.some((np) => np.metadata.namespace === o.metadata.namespace && np.spec?.podSelector?.matchLabels?.[NAME_LABEL] === name)) {
      p('is selected by no ingress NetworkPolicy, so default-deny blocks every wire to it');
    }
    if (!new RegExp(`\\b${name.replace(/[^A-Za-z0-9]/g, '_')}\\["${name}"\\]`).test(diagram)) p('is not drawn in the wiring diagram');
  }
  return out;
}
