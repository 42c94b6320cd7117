// @ts-check
'use strict';
/**
 * Benchmark helper: synthesizes N generated environments (alternating dev and prod profiles, each with its
 * own cluster) into a folder with the compiled synth. `node scripts/bench-envs.js <N> <outDir>`.
 */
const { loadSynth } = require('./build');

/**
 * @param {number} n
 * @returns {import('../src/config/types').EnvironmentDefinition[]}
 */
function generatedEnvironments(n) {
  return Array.from({ length: n }, (_, i) => ({
    name: `env-${String(i + 1).padStart(3, '0')}`,
    profile: i % 2 === 0 ? /** @type {const} */ ('dev') : /** @type {const} */ ('prod'),
    overrides: { common: { clusterName: `cluster-${i + 1}` }, argocd: { destinationServer: `https://cluster-${i + 1}.k8s.example.com` } },
  }));
}

module.exports = { generatedEnvironments };

if (require.main === module) {
  const n = Number(process.argv[2]);
  const out = process.argv[3];
  if (!Number.isInteger(n) || n < 1 || !out) throw new Error('usage: bench-envs.js <N> <outDir>');
  loadSynth().run(['--out', out], generatedEnvironments(n));
}
