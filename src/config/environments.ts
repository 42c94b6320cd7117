/**
 * The environments obs-stack synthesizes, one folder each under `dist/`. Adding one (say `staging` for
 * another cluster) is a few lines: a name, the profile it starts from, and what it changes.
 */
import type { EnvironmentDefinition } from './types';

export const ENVIRONMENTS: readonly EnvironmentDefinition[] = [
  {
    name: 'dev',
    profile: 'dev',
  },
  {
    name: 'prod',
    profile: 'prod',
    overrides: {
      // The StorageClass every persistent volume uses; change it to your cluster's (gp3, standard-rwo, ...).
      common: { storageClassName: 'standard' },
      // The API server ArgoCD deploys this environment to (a placeholder: set your cluster's).
      argocd: { destinationServer: 'https://prod.k8s.example.com:6443' },
    },
  },
  {
    // Edit before use: the buckets, the S3 endpoint and region, the remote-write and query URLs in the
    // `large` profile (each component's config.ts) are placeholders, and the Secrets listed in the README
    // must exist.
    name: 'large',
    profile: 'large',
    overrides: {
      common: { storageClassName: 'standard' },
      argocd: { destinationServer: 'https://large.k8s.example.com:6443' },
    },
  },
];
