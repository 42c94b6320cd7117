/**
 * `npm run helm:differences`: renders every environment's Helm path with the real helm binary and the
 * pinned charts, compares each workload's pods with the manifests, and writes the result to
 * src/outputs/helm/differences.json, which synth turns into each Helm README's "Differences" section.
 * Run `npm run synth` afterwards. Needs `.tools/bin/helm` (`npm ci`) and the charts (OBS_STACK_CHART_CACHE,
 * or access to the chart repositories).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENTS } from '../src/config/environments';
import { HELM_CHARTS } from '../src/outputs/helm/charts';
import { synthesize } from '../src/outputs/synthesize';
import { measureDifferences } from '../test/support/helm-differences';
import { helmUnavailable } from '../test/support/helm-render';

const OUT = join(__dirname, '..', 'src', 'outputs', 'helm', 'differences.json');

async function main(): Promise<void> {
  const why = helmUnavailable(Object.values(HELM_CHARTS));
  if (why !== undefined) throw new Error(why);
  const measured = await measureDifferences(synthesize(ENVIRONMENTS));
  writeFileSync(OUT, `${JSON.stringify(measured, null, 2)}\n`);
  const counts = Object.entries(measured.environments).map(([env, list]) => `${env} ${list.length}`).join(', ');
  console.log(`helm:differences: wrote ${OUT} (${counts}); now run npm run synth`);
}

main().catch((e: unknown) => {
  console.error(`helm:differences failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
