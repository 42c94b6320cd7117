/**
 * Config checksums as one generic pass: every pod template gets `checksum/config`, the hash of the data of
 * every ConfigMap of its chart that it reads (volumes, projected volumes, envFrom, env). A change to any of
 * them, and only to them, rolls the pods. Secrets are never in the output (users create them), so none is hashed.
 */
import { ApiObject, type Chart, JsonPatch } from 'cdk8s';
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum } from './kube';

interface PodSpecJson {
  volumes?: Array<{ configMap?: { name?: string }; projected?: { sources?: Array<{ configMap?: { name?: string } }> } }>;
  containers?: ContainerJson[];
  initContainers?: ContainerJson[];
}
interface ContainerJson {
  envFrom?: Array<{ configMapRef?: { name?: string } }>;
  env?: Array<{ valueFrom?: { configMapKeyRef?: { name?: string } } }>;
}
interface WorkloadJson {
  kind: string;
  metadata: { namespace?: string };
  spec?: { template?: { metadata?: { annotations?: Record<string, string> }; spec?: PodSpecJson } };
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Names of the ConfigMaps a pod spec reads, sorted, without duplicates. */
export function configMapsReadBy(spec: PodSpecJson | undefined): string[] {
  const names = new Set<string>();
  for (const v of spec?.volumes ?? []) {
    if (v.configMap?.name) names.add(v.configMap.name);
    for (const s of v.projected?.sources ?? []) if (s.configMap?.name) names.add(s.configMap.name);
  }
  for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) {
    for (const e of c.envFrom ?? []) if (e.configMapRef?.name) names.add(e.configMapRef.name);
    for (const e of c.env ?? []) if (e.valueFrom?.configMapKeyRef?.name) names.add(e.valueFrom.configMapKeyRef.name);
  }
  return [...names].sort();
}

/** The checksum of the named ConfigMaps' data: names, keys (sorted) and values, length-prefixed. */
export function configMapsChecksum(configMaps: ReadonlyMap<string, Readonly<Record<string, string>>>, names: readonly string[]): string {
  return configChecksum(...names.flatMap((n) => {
    const data = configMaps.get(n) ?? {};
    return [n, ...Object.keys(data).sort().flatMap((k) => [k, data[k]])];
  }));
}

/** Annotates every workload of `chart` that reads one of the chart's ConfigMaps. */
export function addConfigChecksums(chart: Chart, objectJson: (o: ApiObject) => unknown = (o) => o.toJson()): void {
  const objects = chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
  const configMaps = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o.kind !== 'ConfigMap') continue;
    const json = objectJson(o) as { metadata: { name: string; namespace?: string }; data?: Record<string, string> };
    configMaps.set(`${json.metadata.namespace ?? ''}/${json.metadata.name}`, json.data ?? {});
  }
  for (const o of objects) {
    if (!WORKLOADS.has(o.kind)) continue;
    const w = objectJson(o) as WorkloadJson;
    const ns = w.metadata.namespace ?? '';
    const read = configMapsReadBy(w.spec?.template?.spec).filter((n) => configMaps.has(`${ns}/${n}`));
    if (read.length === 0) continue;
    const data = new Map(read.map((n) => [n, configMaps.get(`${ns}/${n}`)!]));
    const annotations = { ...(w.spec?.template?.metadata?.annotations ?? {}), [CONFIG_CHECKSUM_ANNOTATION]: configMapsChecksum(data, read) };
    o.addJsonPatch(JsonPatch.add('/spec/template/metadata/annotations', annotations));
  }
}
