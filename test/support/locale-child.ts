/**
 * Run by test/verification/locale.test.ts under different LC_ALL/LANG/TZ values: synthesizes the project's
 * environments plus one whose names sort differently under locale-aware collation into `<folder>`, and
 * prints what the process's locale and time zone really were, as JSON.
 */
import { ENVIRONMENTS } from '../../src/config/environments';
import { run } from '../../src/main';
import { LOCALE_SENSITIVE } from './locale-fixture';

run(['--out', process.argv[2]], [...ENVIRONMENTS, LOCALE_SENSITIVE]);
process.stdout.write(JSON.stringify({
  locale: new Intl.Collator().resolvedOptions().locale,
  // What a localeCompare sort would have done with the fixture's namespaces here.
  collated: [LOCALE_SENSITIVE.overrides!.common!.agentNamespace!, LOCALE_SENSITIVE.overrides!.common!.namespace!].sort((a, b) => a.localeCompare(b)),
  utcOffsetMinutes: -new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset(),
}));
