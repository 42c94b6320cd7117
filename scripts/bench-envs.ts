/**
 * Benchmark helper: synthesizes N generated environments (alternating dev and prod profiles, each with its
 * own cluster name) into a folder. `npx tsx scripts/bench-envs.ts <N> <outDir>`.
 */
import type { EnvironmentDefinition } from '../src/config/types';
import { run } from '../src/main';

export function generatedEnvironments(n: number): EnvironmentDefinition[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `env-${String(i + 1).padStart(3, '0')}`,
    profile: i % 2 === 0 ? 'dev' : 'prod',
    overrides: { common: { clusterName: `cluster-${i + 1}` }, argocd: { destinationServer: `https://cluster-${i + 1}.k8s.example.com` } },
  }));
}

if (require.main === module) {
  const n = Number(process.argv[2]);
  const out = process.argv[3];
  if (!Number.isInteger(n) || n < 1 || !out) throw new Error('usage: bench-envs.ts <N> <outDir>');
  run(['--out', out], generatedEnvironments(n));
}
