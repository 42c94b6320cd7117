/**
 * The background rendering started by setup.ts: synthesizes the environments as the tests do
 * (HELM_TEST_ENVIRONMENTS) and renders
 * their Helm path (`renderForTests`), then writes `result.json` (or `failed.txt`) into the folder given.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthesize } from '../../../src/outputs/synthesize';
import { HELM_TEST_ENVIRONMENTS, renderForTests } from '../helm-render';
import { FAILED_FILE, PID_FILE, RESULT_FILE } from './shared';

const dir = process.argv[2];

(async () => renderForTests(synthesize(HELM_TEST_ENVIRONMENTS).files))()
  .then((r) => {
    writeFileSync(join(dir, `${RESULT_FILE}.tmp`), JSON.stringify(r));
    renameSync(join(dir, `${RESULT_FILE}.tmp`), join(dir, RESULT_FILE));
  })
  .catch((e: unknown) => {
    writeFileSync(join(dir, FAILED_FILE), e instanceof Error ? e.message : String(e));
    process.exitCode = 1;
  })
  .finally(() => rmSync(join(dir, PID_FILE), { force: true }));
