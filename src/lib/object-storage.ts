/**
 * Object storage the stores may keep their blocks in: where the store is (URL parsing and per-backend
 * defaults), and how credentials reach the process without ever being written into the output.
 *
 * - Secret credentials become environment variables from `secretKeyRef`; the config files name them as
 *   `${VAR}` and the processes run with `-config.expand-env=true` (a store using it expands `${VAR}` in its
 *   config file with that flag, as the Grafana Labs stores do). GCS takes a key file instead: the Secret is
 *   mounted read-only and `GOOGLE_APPLICATION_CREDENTIALS` points at it (Google's default credential chain
 *   reads it).
 * - Workload identity: no Secret and no key in the config at all; the cloud SDK's default credential chain
 *   finds what the platform provides for the annotated ServiceAccount (EKS IRSA and Azure workload identity
 *   inject a projected token volume through their webhook, GKE answers on the metadata server). None of
 *   them needs the pod's regular API token, so `automountServiceAccountToken` stays false.
 */
import type { ObjectStorageSpec } from '../config/types';
import type * as k8s from '../../imports/k8s';
import type { SecretNeed } from './user-secrets';

/** Environment variables carrying Secret credentials into the process (referenced as `${VAR}` in config). */
export const OBJECT_STORAGE_ENV = {
  accessKeyId: 'OBJECT_STORE_ACCESS_KEY_ID',
  secretAccessKey: 'OBJECT_STORE_SECRET_ACCESS_KEY',
  accountKey: 'OBJECT_STORE_ACCOUNT_KEY',
  gcsCredentials: 'GOOGLE_APPLICATION_CREDENTIALS',
} as const;

/** Where a GCS key file Secret is mounted. */
export const GCS_KEY_DIR = '/etc/object-storage';

/** `${VAR}` as the config file writes it. */
export function envRef(name: string): string {
  return `\${${name}}`;
}

/** A parsed store URL. */
export interface StoreAddress {
  readonly url: string;
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number;
  /** `host[:port]` as S3 clients take it (no scheme). */
  readonly hostPort: string;
  /** Plain HTTP (no TLS). */
  readonly insecure: boolean;
}

const STORE_URL = /^(https?):\/\/([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?\/?$/;

/** Parses `http(s)://host[:port]` (no path); undefined when it is not such a URL. */
export function parseStoreUrl(url: string): StoreAddress | undefined {
  const m = STORE_URL.exec(url);
  if (!m) return undefined;
  const scheme = m[1] as 'http' | 'https';
  const port = m[4] !== undefined ? Number(m[4]) : scheme === 'https' ? 443 : 80;
  if (port < 1 || port > 65535) return undefined;
  const host = m[2].toLowerCase();
  return { url: `${scheme}://${host}${m[4] !== undefined ? `:${port}` : ''}`, scheme, host, port, hostPort: m[4] !== undefined ? `${host}:${port}` : host, insecure: scheme === 'http' };
}

/** The store URL with the backend's default applied (GCS and Azure have well-known ones; S3 has none). */
export function storeUrl(spec: ObjectStorageSpec): string | undefined {
  if (spec.endpoint !== '') return spec.endpoint;
  if (spec.type === 'gcs') return 'https://storage.googleapis.com';
  if (spec.type === 'azure' && spec.accountName !== '') return `https://${spec.accountName}.blob.core.windows.net`;
  return undefined;
}

/** The parsed store address, or undefined for `filesystem` (and for an invalid spec, which validation reports). */
export function storeAddress(spec: ObjectStorageSpec): StoreAddress | undefined {
  if (spec.type === 'filesystem') return undefined;
  const url = storeUrl(spec);
  return url === undefined ? undefined : parseStoreUrl(url);
}

/** Azure: the endpoint suffix is the store host without the account label (`blob.core.windows.net`). */
export function azureEndpointSuffix(spec: ObjectStorageSpec): string {
  const host = storeAddress(spec)?.host ?? `${spec.accountName}.blob.core.windows.net`;
  return host.startsWith(`${spec.accountName}.`) ? host.slice(spec.accountName.length + 1) : host.split('.').slice(1).join('.');
}

export function usesSecret(spec: ObjectStorageSpec): boolean {
  return spec.type !== 'filesystem' && spec.credentials.source === 'secret';
}

/** True when the config file holds `${VAR}` references, so the process needs `-config.expand-env=true`. */
export function needsEnvExpansion(spec: ObjectStorageSpec): boolean {
  return usesSecret(spec) && (spec.type === 's3' || spec.type === 'azure');
}

/** The Secret keys the user must create for `spec` (empty without a Secret). */
export function objectStorageSecretKeys(spec: ObjectStorageSpec): string[] {
  if (!usesSecret(spec)) return [];
  const k = spec.credentials.keys;
  if (spec.type === 's3') return [k.accessKeyId, k.secretAccessKey];
  if (spec.type === 'azure') return [k.accountKey];
  return [k.serviceAccountJson];
}

/** The Secret holding a component's object-store credentials, for the user to create (none with workload identity). */
export function objectStorageSecretNeeds(component: string, spec: ObjectStorageSpec, namespace: string): SecretNeed[] {
  const keys = objectStorageSecretKeys(spec);
  if (keys.length === 0) return [];
  const name = spec.credentials.secretName;
  return [{
    use: 'object-storage', name, namespace, keys,
    purpose: `${component} ${spec.type} object-storage credentials (kubectl create secret generic ${name} --from-literal=...)`,
    shared: { purpose: `${component} uses it too`, keysInOrder: true },
  }];
}

/** Container env and volumes that bring the credentials in (references only). */
export function objectStorageCredentials(spec: ObjectStorageSpec): { env: k8s.EnvVar[]; volumes: k8s.Volume[]; mounts: k8s.VolumeMount[] } {
  if (!usesSecret(spec)) return { env: [], volumes: [], mounts: [] };
  const name = spec.credentials.secretName;
  const k = spec.credentials.keys;
  const fromSecret = (envName: string, key: string): k8s.EnvVar => ({ name: envName, valueFrom: { secretKeyRef: { name, key } } });
  if (spec.type === 's3') {
    return { env: [fromSecret(OBJECT_STORAGE_ENV.accessKeyId, k.accessKeyId), fromSecret(OBJECT_STORAGE_ENV.secretAccessKey, k.secretAccessKey)], volumes: [], mounts: [] };
  }
  if (spec.type === 'azure') return { env: [fromSecret(OBJECT_STORAGE_ENV.accountKey, k.accountKey)], volumes: [], mounts: [] };
  return {
    env: [{ name: OBJECT_STORAGE_ENV.gcsCredentials, value: `${GCS_KEY_DIR}/${k.serviceAccountJson}` }],
    volumes: [{ name: 'object-storage-credentials', secret: { secretName: name, items: [{ key: k.serviceAccountJson, path: k.serviceAccountJson }], defaultMode: 0o440 } }],
    mounts: [{ name: 'object-storage-credentials', mountPath: GCS_KEY_DIR, readOnly: true }],
  };
}

/** Annotations for the component's ServiceAccount (workload identity), else none. */
export function serviceAccountAnnotations(spec: ObjectStorageSpec): Record<string, string> | undefined {
  if (spec.type === 'filesystem' || spec.credentials.source !== 'workloadIdentity') return undefined;
  return { ...spec.credentials.serviceAccountAnnotations };
}

/**
 * Azure workload identity also needs this label on the pod (the webhook only mutates labelled pods).
 * https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html
 */
export function workloadIdentityPodLabels(spec: ObjectStorageSpec): Record<string, string> {
  return spec.type === 'azure' && spec.credentials.source === 'workloadIdentity' ? { 'azure.workload.identity/use': 'true' } : {};
}
