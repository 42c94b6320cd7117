/**
 * The object-storage section of each store that may keep its data there: its schema, and the default (object
 * storage off, data on the component's volume). How the store is reached and credentials are mounted: `src/lib/object-storage.ts`.
 */
import * as z from 'zod';
import { parseStoreUrl } from '../lib/object-storage';
import { annotations, flag, hasInvisible, isDnsSubdomain, obj, oneOf, report, secretKey, text } from './fields';

const STORE_URL_EXAMPLE = 'use e.g. "https://s3.eu-west-1.amazonaws.com" or "http://minio.minio.svc:9000"';

/** The store's URL: `http(s)://host[:port]`, never with credentials; `""` for the backend's default. */
const storeEndpoint = text(['is not a store URL', STORE_URL_EXAMPLE], (v) => {
  if (v === '') return undefined;
  if (hasInvisible(v) || /\s/.test(v)) return ['contains whitespace, a control or an invisible character', STORE_URL_EXAMPLE];
  if (/^[a-z]+:\/\/[^/?#]*@/i.test(v)) {
    return ['carries credentials (user or password before "@"), which would be written into the output',
      'remove them and use credentials.source "secret" (a Secret you create) or "workloadIdentity"'];
  }
  if (parseStoreUrl(v) === undefined) return ['is not a store URL (scheme and host, optional port, no path)', STORE_URL_EXAMPLE];
  return undefined;
});

/**
 * Where credentials for the object store come from; never the credentials themselves.
 * - `secret`: a Secret the user creates (listed by `userSecrets`); its keys reach the process as
 *   environment variables (`secretKeyRef`) that the config file references as `${VAR}`
 *   (`-config.expand-env=true`), or, for GCS, as a mounted key file (`GOOGLE_APPLICATION_CREDENTIALS`).
 * - `workloadIdentity`: no Secret; the ServiceAccount carries `serviceAccountAnnotations` (EKS IRSA
 *   `eks.amazonaws.com/role-arn`, GKE `iam.gke.io/gcp-service-account`, AKS `azure.workload.identity/client-id`)
 *   and the SDK's default credential chain picks up what the cloud's webhook or metadata server provides.
 */
export const objectStorageCredentialsSchema = obj({
  source: oneOf(['secret', 'workloadIdentity'], 'is not a credential source', 'use "secret" or "workloadIdentity"'),
  /** Name of the Secret (source `secret`). */
  secretName: text(['must be a string', 'use e.g. "loki-object-storage"']),
  /** Keys inside that Secret, per backend: S3 uses the first two, Azure `accountKey`, GCS `serviceAccountJson`. */
  keys: obj({
    accessKeyId: secretKey('access-key-id'),
    secretAccessKey: secretKey('secret-access-key'),
    accountKey: secretKey('account-key'),
    serviceAccountJson: secretKey('service-account.json'),
  }).readonly(),
  /** Annotations on the component's ServiceAccount (source `workloadIdentity`). */
  serviceAccountAnnotations: annotations(),
}).readonly();

/** The object-storage backends a store can keep its data in. `filesystem`: the data volume. */
export const objectStorageTypeSchema = oneOf(['filesystem', 's3', 'gcs', 'azure'], 'is not an object-storage type', 'use "filesystem", "s3", "gcs" or "azure"');

/** Object storage for one store. */
export const objectStorageSchema = obj({
  type: objectStorageTypeSchema,
  /** S3 or GCS bucket, Azure blob container. */
  bucket: text(['must be a string', 'use e.g. "obs-stack-logs"']),
  /**
   * The store's URL, `https://host[:port]` (`http://` turns TLS off, e.g. for an in-cluster MinIO).
   * S3: required (e.g. `https://s3.eu-west-1.amazonaws.com`). GCS: @default `https://storage.googleapis.com`.
   * Azure: @default `https://<accountName>.blob.core.windows.net`.
   */
  endpoint: storeEndpoint,
  /** S3 region, e.g. `eu-west-1`. */
  region: text(['must be a string', 'use e.g. "eu-west-1"']),
  /** S3: path-style URLs (`endpoint/bucket`), which MinIO and most S3-compatible stores need. */
  forcePathStyle: flag(),
  /** Azure storage account name. */
  accountName: text(['must be a string', 'use e.g. "obsstack"']),
  credentials: objectStorageCredentialsSchema,
}).superRefine((o, ctx) => {
  if (o.type === 'filesystem') return;
  if (o.bucket === '') {
    report(ctx, ['bucket'], o.bucket, `must not be empty with type "${o.type}"`, `set the ${o.type === 'azure' ? 'blob container' : 'bucket'} name, e.g. "obs-stack-logs"`);
  } else if (o.bucket.length < 3 || o.bucket.length > 63 || !/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(o.bucket) || (o.type === 'azure' && o.bucket.includes('.'))) {
    report(ctx, ['bucket'], o.bucket, 'is not a valid bucket or container name', 'use 3 to 63 lower-case letters, digits and "-" (and "." outside Azure)');
  }
  if (o.type === 's3') {
    if (o.endpoint === '') report(ctx, ['endpoint'], o.endpoint, 'must not be empty for S3', 'use e.g. "https://s3.eu-west-1.amazonaws.com" (AWS) or your S3-compatible store\'s URL');
    if (!/^[a-z0-9-]+$/.test(o.region)) report(ctx, ['region'], o.region, 'is not an S3 region', 'use e.g. "eu-west-1" (any value, e.g. "us-east-1", for MinIO)');
  }
  if (o.type === 'azure' && !/^[a-z0-9]{3,24}$/.test(o.accountName)) {
    report(ctx, ['accountName'], o.accountName, 'is not an Azure storage account name', 'use 3 to 24 lower-case letters and digits, e.g. "obsstack"');
  }
  const cr = o.credentials;
  if (cr.source === 'secret') {
    if (cr.secretName === '') {
      report(ctx, ['credentials', 'secretName'], cr.secretName, 'is empty, and credentials.source is "secret"',
        'create a Secret with the store\'s keys (see README) and set its name, or use source "workloadIdentity"');
    } else if (!isDnsSubdomain(cr.secretName)) {
      report(ctx, ['credentials', 'secretName'], cr.secretName, 'is not a valid DNS name', 'use lower-case letters, digits, "-" and ".", e.g. "loki-object-storage"');
    }
  } else if (Object.keys(cr.serviceAccountAnnotations).length === 0) {
    report(ctx, ['credentials', 'serviceAccountAnnotations'], cr.serviceAccountAnnotations, 'is empty, and credentials.source is "workloadIdentity"',
      'set the annotation your platform reads, e.g. { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/loki" }');
  }
}).readonly();

export type ObjectStorageType = z.infer<typeof objectStorageTypeSchema>;
export type ObjectStorageCredentials = z.infer<typeof objectStorageCredentialsSchema>;
export type ObjectStorageSpec = z.infer<typeof objectStorageSchema>;

/**
 * Object storage off: data on the component's volume. The credential key names are the ones the user's
 * Secret holds when `credentials.source` is `secret` (see README: kubectl create secret generic ...).
 */
export const FILESYSTEM_STORAGE: ObjectStorageSpec = {
  type: 'filesystem',
  bucket: '',
  endpoint: '',
  region: '',
  forcePathStyle: false,
  accountName: '',
  credentials: {
    source: 'secret',
    secretName: '',
    keys: { accessKeyId: 'access-key-id', secretAccessKey: 'secret-access-key', accountKey: 'account-key', serviceAccountJson: 'service-account.json' },
    serviceAccountAnnotations: {},
  },
};
