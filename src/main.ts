/**
 * `npm run synth` (and `cdk8s synth`), compiled by scripts/build.js: resolve the environments, synthesize
 * them one at a time into a staging folder, then swap it into `dist/` (or `$CDK8S_OUTDIR`).
 *
 *   npm run synth                     every environment
 *   npm run synth -- --env prod       one environment (repeat --env for more)
 *   npm run synth -- --out /tmp/x     another output folder
 */
import { ENVIRONMENTS } from './config/environments';
import type { EnvironmentDefinition } from './config/types';
import { synthesizeInto } from './outputs/synthesize';
import { summaryTable } from './outputs/summary';
import { StagedOutput } from './outputs/write';

interface Args {
  readonly envs: string[];
  readonly out: string;
}

function parseArgs(argv: readonly string[]): Args {
  const envs: string[] = [];
  let out = process.env.CDK8S_OUTDIR ?? 'dist';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--env') envs.push(value());
    else if (a.startsWith('--env=')) envs.push(a.slice('--env='.length));
    else if (a === '--out') out = value();
    else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else throw new Error(`unknown argument "${a}"; use --env <name> (repeatable) or --out <dir>`);
  }
  return { envs, out };
}

export function selectEnvironments(all: readonly EnvironmentDefinition[], names: readonly string[]): EnvironmentDefinition[] {
  if (names.length === 0) return [...all];
  const known = all.map((e) => e.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new Error(`unknown environment ${unknown.map((n) => `"${n}"`).join(', ')}; known environments: ${known.join(', ')}`);
  }
  return all.filter((e) => names.includes(e.name));
}

/**
 * The whole command: the config is validated before anything is rendered, files are staged beside the
 * output as they are rendered, and the output folder is only touched once every environment succeeded.
 * Returns the report printed on success.
 */
export function run(argv: readonly string[], environments: readonly EnvironmentDefinition[] = ENVIRONMENTS): string {
  const args = parseArgs(argv);
  const defs = selectEnvironments(environments, args.envs);
  const full = args.envs.length === 0;
  const staged = new StagedOutput(args.out);
  let result: ReturnType<typeof synthesizeInto>;
  try {
    result = synthesizeInto(defs, full, (path, content) => staged.add(path, content));
    staged.commit(result.scope, full);
  } finally {
    staged.discard();
  }
  const report = result.summaries.map((s) => {
    const warnings = s.warnings.map((w) => `  warning: ${w}`).join('\n');
    return `\n${s.environment}\n${summaryTable(s)}\n${warnings}${warnings ? '\n' : ''}`;
  });
  return `${report.join('')}\nobs-stack: wrote ${staged.files} files for ${result.scope.join(', ')} into ${args.out}/\n`;
}

/** The command line: prints the report, or the error and exit code 1. */
export function main(argv: readonly string[]): void {
  try {
    process.stdout.write(run(argv));
  } catch (e) {
    process.stderr.write(`obs-stack: synth failed, nothing was written.\n${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}

if (require.main === module) main(process.argv.slice(2));
