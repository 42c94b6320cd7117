/**
 * Test support for validation failures: resolve an environment that must be refused and hand back the
 * message, so a test can assert it names the path, the value and the fix.
 */
import { resolveEnvironment } from '../../src/config/resolve';
import type { ProfileName, StackOverrides } from '../../src/config/types';
import { StackConfigError } from '../../src/config/validate';

/** Resolves an environment of `profile` with overrides; returns the error message (or fails the test). */
export function errorOf(overrides: StackOverrides | Record<string, unknown>, profile: ProfileName = 'dev'): string {
  try {
    resolveEnvironment({ name: 't', profile, overrides: overrides as StackOverrides });
  } catch (e) {
    expect(e).toBeInstanceOf(StackConfigError);
    return (e as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}
