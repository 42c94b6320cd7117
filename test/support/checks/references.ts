/**
 * References between objects: what a workload (a StatefulSet's serviceName too), Service, binding or Ingress names must exist in the output
 * (or be a Secret the user creates, from `userSecrets`), and every namespaced object must live in a
 * namespace the output creates.
 */
import type { UserSecret } from '../../../src/lib/user-secrets';
import { type KubeObject, type Problem, containersOf, objectId, podTemplate, podTemplatePath, selects } from './problem';

/** Kinds without a namespace (built-in ones the stack may emit). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass', 'IngressClass', 'PersistentVolume',
  'CustomResourceDefinition', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService',
]);

function has(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): KubeObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace));
}

export function checkReferences(objects: readonly KubeObject[], userSecrets: readonly UserSecret[]): Problem[] {
  const out: Problem[] = [];
  const p = (o: KubeObject, path: string, message: string) => out.push({ check: 'references', object: objectId(o), path, message });
  const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const secretExists = (name: string, ns: string) => has(objects, 'Secret', name, ns) !== undefined || userSecrets.some((s) => s.name === name && s.namespace === ns);
  const secretHint = (ns: string) => `neither in the output nor in userSecrets() (src/lib/user-secrets.ts) for namespace ${ns}`;

  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (CLUSTER_SCOPED_KINDS.has(o.kind)) {
      if (ns !== undefined) p(o, '/metadata/namespace', `${o.kind} is cluster-scoped but has namespace "${ns}"`);
    } else if (ns === undefined) {
      p(o, '/metadata/namespace', `namespaced ${o.kind} has no namespace (it would land in whatever namespace kubectl uses)`);
    } else if (!namespaces.has(ns)) {
      p(o, '/metadata/namespace', `namespace "${ns}" is not created by the output (created: ${[...namespaces].join(', ') || 'none'})`);
    }

    if (o.kind === 'Service') {
      const selector = o.spec?.selector as Record<string, string> | undefined;
      if (!selector || Object.keys(selector).length === 0) {
        if (o.spec?.type !== 'ExternalName') p(o, '/spec/selector', 'Service has no selector, so it gets no endpoints');
      } else if (!objects.some((w) => w.metadata.namespace === ns && selects(selector, podTemplate(w)?.metadata?.labels))) {
        p(o, '/spec/selector', `selector ${JSON.stringify(selector)} matches no pod template in namespace ${ns}`);
      }
    }

    if (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') {
      const ref = o.roleRef ?? {};
      const role = ref.kind === 'ClusterRole' ? has(objects, 'ClusterRole', ref.name) : has(objects, 'Role', ref.name, ns);
      if (!role) p(o, '/roleRef', `${ref.kind} "${ref.name}" does not exist in the output`);
      if (o.kind === 'ClusterRoleBinding' && ref.kind === 'Role') p(o, '/roleRef/kind', 'a ClusterRoleBinding can only reference a ClusterRole');
      (o.subjects ?? []).forEach((s: { kind: string; name: string; namespace?: string }, i: number) => {
        if (s.kind !== 'ServiceAccount') return;
        const sns = s.namespace ?? ns;
        if (!has(objects, 'ServiceAccount', s.name, sns)) p(o, `/subjects/${i}`, `ServiceAccount ${sns}/${s.name} does not exist in the output`);
      });
    }

    if (o.kind === 'Ingress') {
      const backends: Array<{ path: string; b: { service?: { name: string; port?: { name?: string; number?: number } } } }> = [];
      if (o.spec?.defaultBackend) backends.push({ path: '/spec/defaultBackend', b: o.spec.defaultBackend });
      (o.spec?.rules ?? []).forEach((r: { http?: { paths?: Array<{ backend: object }> } }, i: number) =>
        (r.http?.paths ?? []).forEach((hp, j) => backends.push({ path: `/spec/rules/${i}/http/paths/${j}/backend`, b: hp.backend })));
      for (const { path, b } of backends) {
        if (!b.service) continue;
        const svc = has(objects, 'Service', b.service.name, ns);
        if (!svc) { p(o, path, `Service ${ns}/${b.service.name} does not exist`); continue; }
        const port = b.service.port ?? {};
        const ok = (svc.spec?.ports ?? []).some((sp: { name?: string; port: number }) => (port.name !== undefined ? sp.name === port.name : sp.port === port.number));
        if (!ok) p(o, `${path}/service/port`, `Service ${ns}/${b.service.name} has no port ${JSON.stringify(port)}`);
      }
      (o.spec?.tls ?? []).forEach((t: { secretName?: string }, i: number) => {
        if (t.secretName && !secretExists(t.secretName, ns!)) p(o, `/spec/tls/${i}/secretName`, `Secret "${t.secretName}" is ${secretHint(ns!)}`);
      });
    }

    // A StatefulSet's pods get their DNS names from the Service its serviceName names.
    if (o.kind === 'StatefulSet' && o.spec?.serviceName && !has(objects, 'Service', o.spec.serviceName, ns)) {
      p(o, '/spec/serviceName', `Service ${ns}/${o.spec.serviceName} does not exist in the output`);
    }

    const tpl = podTemplate(o);
    if (!tpl || ns === undefined) continue;
    const base = podTemplatePath(o);
    const spec = tpl.spec ?? {};
    const volumeNames = new Set<string>((spec.volumes ?? []).map((v: { name: string }) => v.name));
    const claimNames = new Set<string>(o.kind === 'StatefulSet' ? (o.spec?.volumeClaimTemplates ?? []).map((c: { metadata: { name: string } }) => c.metadata.name) : []);

    const sa = spec.serviceAccountName ?? 'default';
    if (sa !== 'default' && !has(objects, 'ServiceAccount', sa, ns)) p(o, `${base}/spec/serviceAccountName`, `ServiceAccount ${ns}/${sa} does not exist in the output`);
    (spec.imagePullSecrets ?? []).forEach((s: { name: string }, i: number) => {
      if (!secretExists(s.name, ns)) p(o, `${base}/spec/imagePullSecrets/${i}`, `Secret "${s.name}" is ${secretHint(ns)}`);
    });

    const configMapRef = (name: string, path: string, optional: boolean | undefined, key?: string) => {
      if (optional) return;
      const cm = has(objects, 'ConfigMap', name, ns);
      if (!cm) p(o, path, `ConfigMap ${ns}/${name} does not exist in the output`);
      else if (key !== undefined && !(key in (cm.data ?? {})) && !(key in (cm.binaryData ?? {}))) p(o, path, `ConfigMap ${ns}/${name} has no key "${key}"`);
    };
    const secretRef = (name: string, path: string, optional: boolean | undefined) => {
      if (!optional && !secretExists(name, ns)) p(o, path, `Secret "${name}" is ${secretHint(ns)}`);
    };

    (spec.volumes ?? []).forEach((v: Record<string, any>, i: number) => {
      const vp = `${base}/spec/volumes/${i}`;
      if (v.configMap) {
        configMapRef(v.configMap.name, `${vp}/configMap/name`, v.configMap.optional);
        (v.configMap.items ?? []).forEach((it: { key: string }, j: number) => configMapRef(v.configMap.name, `${vp}/configMap/items/${j}`, v.configMap.optional, it.key));
      }
      if (v.secret) secretRef(v.secret.secretName, `${vp}/secret/secretName`, v.secret.optional);
      if (v.persistentVolumeClaim && !has(objects, 'PersistentVolumeClaim', v.persistentVolumeClaim.claimName, ns)) {
        p(o, `${vp}/persistentVolumeClaim/claimName`, `PersistentVolumeClaim ${ns}/${v.persistentVolumeClaim.claimName} does not exist in the output`);
      }
      (v.projected?.sources ?? []).forEach((s: Record<string, any>, j: number) => {
        if (s.configMap) configMapRef(s.configMap.name, `${vp}/projected/sources/${j}/configMap`, s.configMap.optional);
        if (s.secret) secretRef(s.secret.name, `${vp}/projected/sources/${j}/secret`, s.secret.optional);
      });
    });

    for (const { container: c, path } of containersOf(spec, base)) {
      (c.volumeMounts ?? []).forEach((m: { name: string }, i: number) => {
        if (!volumeNames.has(m.name) && !claimNames.has(m.name)) p(o, `${path}/volumeMounts/${i}/name`, `mounts volume "${m.name}", which is neither a pod volume nor a volumeClaimTemplate`);
      });
      (c.env ?? []).forEach((e: Record<string, any>, i: number) => {
        const cmk = e.valueFrom?.configMapKeyRef;
        if (cmk) configMapRef(cmk.name, `${path}/env/${i}/valueFrom/configMapKeyRef`, cmk.optional, cmk.key);
        const sk = e.valueFrom?.secretKeyRef;
        if (sk) {
          secretRef(sk.name, `${path}/env/${i}/valueFrom/secretKeyRef`, sk.optional);
          const us = userSecrets.find((s) => s.name === sk.name && s.namespace === ns);
          if (us && us.keys.length > 0 && !us.keys.includes(sk.key)) p(o, `${path}/env/${i}/valueFrom/secretKeyRef/key`, `key "${sk.key}" is not among the keys userSecrets() tells the user to create (${us.keys.join(', ')})`);
        }
      });
      (c.envFrom ?? []).forEach((e: Record<string, any>, i: number) => {
        if (e.configMapRef) configMapRef(e.configMapRef.name, `${path}/envFrom/${i}/configMapRef`, e.configMapRef.optional);
        if (e.secretRef) secretRef(e.secretRef.name, `${path}/envFrom/${i}/secretRef`, e.secretRef.optional);
      });
    }
  }
  return out;
}
