/**
 * `npm run synth` (and `cdk8s synth`): resolve the environments, then synthesize them one by one into
 * `dist/` (or `$CDK8S_OUTDIR`) as one transaction.
 *
 *   npm run synth                     every environment
 *   npm run synth -- --env prod       one environment (repeat --env for more)
 *   npm run synth -- --out /tmp/x     another output folder
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENTS } from './config/environments';
import type { EnvironmentDefinition } from './config/types';
import { quote } from './lib/quote';
import { checkOutputFolder, defaultFolderContext, OutputError } from './outputs/output-folder';
import { synthesize, type SynthResult } from './outputs/synthesize';
import { summaryTable } from './outputs/summary';
import { StagedOutput, type WriteOutcome } from './outputs/write';
import { formatPlan, planUpgrade, type UpgradePlan } from './outputs/upgrade';

export const USAGE = 'usage: npm run synth -- [--env <name>]... [--out <folder>] [--allow-replace]';

/** A mistake on the command line: nothing was read or written. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

interface Args {
  readonly envs: string[];
  readonly out: string;
  /** How the output folder was given, for messages. */
  readonly outGiven: string;
  /** Write even when an object's immutable field changes (the user deletes and recreates it). */
  readonly allowReplace: boolean;
}

function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv): Args {
  const envs: string[] = [];
  let out: string | undefined;
  let allowReplace = false;
  for (let i = 0; i < argv.length; i++) {
    const a = String(argv[i]);
    if (a === '--allow-replace') { allowReplace = true; continue; }
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (flag !== '--env' && flag !== '--out') {
      throw new UsageError(`unknown argument ${quote(a)}; use --env <name> (repeatable), --out <folder> or --allow-replace`);
    }
    let value: string;
    if (flag !== a) {
      value = a.slice(eq + 1);
    } else {
      const next = argv[++i];
      if (next === undefined || String(next).startsWith('--')) throw new UsageError(`${flag} needs a value`);
      value = String(next);
    }
    if (flag === '--env') {
      if (value === '') throw new UsageError('--env needs an environment name, e.g. --env prod');
      if (!envs.includes(value)) envs.push(value);
    } else {
      if (out !== undefined) throw new UsageError(`--out is given twice (${quote(out)} and ${quote(value)}); give one output folder`);
      if (value === '') throw new UsageError('--out needs a folder, e.g. --out dist');
      out = value;
    }
  }
  if (out !== undefined) return { envs, out, outGiven: `--out ${quote(out)}`, allowReplace };
  const fromEnv = env.CDK8S_OUTDIR;
  if (fromEnv !== undefined && fromEnv !== '') return { envs, out: fromEnv, outGiven: `CDK8S_OUTDIR=${quote(fromEnv)}`, allowReplace };
  return { envs, out: 'dist', outGiven: 'the default output folder "dist"', allowReplace };
}

export function selectEnvironments(all: readonly EnvironmentDefinition[], names: readonly string[]): string[] | undefined {
  if (names.length === 0) return undefined;
  const known = all.map((e) => e.name).filter((n): n is string => typeof n === 'string');
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(`unknown environment ${unknown.map(quote).join(', ')}; known environments: ${known.map(quote).join(', ')}`);
  }
  return [...names];
}

/**
 * What writing an environment's manifests (`files`, relative to its folder) would do to the ones already
 * in `out` (none when there are none yet): objects added, changed and deleted, and changes Kubernetes refuses.
 */
function upgradePlan(out: string, env: string, files: ReadonlyMap<string, string>): UpgradePlan | undefined {
  const dir = join(out, env, 'manifests');
  if (!existsSync(dir)) return undefined;
  const previous = new Map(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  const prefix = `${env}/manifests/`;
  const next = new Map([...files].filter(([p]) => p.startsWith(prefix)).map(([p, c]) => [p.slice(prefix.length), c]));
  return planUpgrade(previous, next);
}

/**
 * The whole command: every environment is resolved and checked before the output folder is touched; then
 * each one is synthesized and its files staged in the output folder's transaction (so they need not all be
 * held in memory), and the transaction swaps them in at the end. Returns the report printed on success.
 */
export function run(argv: readonly string[], environments: readonly EnvironmentDefinition[] = ENVIRONMENTS): string {
  const args = parseArgs(argv, process.env);
  const folder = defaultFolderContext(args.outGiven);
  // A wrong folder is refused before the synth, and again by the writer.
  checkOutputFolder(args.out, folder);
  const output = new StagedOutput(args.out, { folder });
  const plans: Array<{ env: string; plan: UpgradePlan }> = [];
  let count = 0;
  let result: SynthResult;
  let outcome: WriteOutcome;
  try {
    result = synthesize(environments, selectEnvironments(environments, args.envs), {
      keepBuilds: false,
      sink: (part, files) => {
        count += files.size;
        // Staged only when it changed; the output folder itself changes at the commit, so the plan still
        // reads what is there now. An environment's own folder is the part named after it.
        const changed = output.add(part, files);
        const plan = !changed || part.includes('/') ? undefined : upgradePlan(args.out, part, files);
        if (plan !== undefined) plans.push({ env: part, plan });
      },
    });
    const refused = plans.filter((p) => p.plan.immutable.length > 0);
    if (refused.length > 0 && !args.allowReplace) {
      throw new Error(`${refused.map((p) => `${p.env}: ${formatPlan(p.plan)}`).join('\n')}\n` +
        'kubectl apply and ArgoCD would refuse these changes after the fact. Do what each line says, or change the config back; ' +
        'run again with --allow-replace to write them anyway.');
    }
    outcome = output.commit(result.units, result.complete);
  } finally {
    output.abort();
  }
  const report = result.summaries.map((s) => {
    const warnings = s.warnings.map((w) => `  warning: ${w}`).join('\n');
    return `\n${s.environment}\n${summaryTable(s)}\n${warnings}${warnings ? '\n' : ''}`;
  });
  const where = quote(args.out);
  const what = outcome.updated.length === 0
    ? `${where} was already up to date`
    : `updated in ${where}: ${outcome.updated.join(', ')}`;
  const notes = [
    ...plans.filter((p) => p.plan.changes.length > 0).map((p) => `${p.env}: ${formatPlan(p.plan)}`),
    ...outcome.notes,
  ].map((n) => `obs-stack: note: ${n}\n`).join('');
  return `${report.join('')}\n${notes}obs-stack: synthesized ${result.environments.join(', ')} (${count} files); ${what}\n`;
}

/** The command line program: returns the exit code. */
export function main(argv: readonly string[], environments: readonly EnvironmentDefinition[] = ENVIRONMENTS,
  io: { stdout: (s: string) => void; stderr: (s: string) => void } = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) }): number {
  try {
    io.stdout(run(argv, environments));
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // The writer's messages say themselves what the output folder looks like; every other error comes
    // before the output folder is touched.
    io.stderr(e instanceof OutputError ? `obs-stack: synth failed: ${message}\n` : `obs-stack: synth failed, nothing was written.\n${message}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
