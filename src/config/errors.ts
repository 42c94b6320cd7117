/**
 * A refused config field (path, value as given, what is wrong, how to fix it) and the error that carries
 * them. Kept apart from the schema so components can raise config errors without importing it.
 */
import { escapeInvisible, showValue } from './fields';

export interface ConfigIssue {
  /** Config path, e.g. `prometheus.remoteWrite[0].basicAuth.username`. */
  readonly path: string;
  readonly value: unknown;
  /** What is wrong, phrased to follow the value: `is not a duration`. */
  readonly message: string;
  /** How to fix it: `use e.g. "15d"`. */
  readonly fix: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${escapeInvisible(issue.path)}: ${showValue(issue.value)} ${escapeInvisible(issue.message)}; ${escapeInvisible(issue.fix)}`;
}

/** Thrown when a configuration is invalid; its message lists every issue, one per line. */
export class StackConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(`environment ${showValue(environment)} has ${issues.length} configuration error(s):\n` +
      issues.map((i) => `  - ${formatIssue(i)}`).join('\n'));
    this.name = 'StackConfigError';
  }

  static combine(errors: readonly StackConfigError[]): Error {
    if (errors.length === 1) return errors[0];
    const e = new Error(errors.map((x) => x.message).join('\n'));
    e.name = 'StackConfigError';
    return e;
  }
}
