// @ts-check
'use strict';
/**
 * Run by test/verification/locale.test.ts under different LC_ALL/LANG/TZ values: the compiled synth (what
 * `npm run synth` runs, build/synth.js) of the environments given as JSON (the project's plus one whose
 * names sort differently under locale-aware collation) into `<folder>`; then prints what the process's
 * locale and time zone really were, as JSON.
 *
 *   node test/support/locale-child.js <folder> <environments as JSON> <the collation fixture's two namespaces as JSON>
 */
const { loadSynth } = require('../../scripts/build');

const [out, environments, namespaces] = process.argv.slice(2);
loadSynth().run(['--out', out], JSON.parse(environments));
process.stdout.write(JSON.stringify({
  locale: new Intl.Collator().resolvedOptions().locale,
  // What a localeCompare sort would have done with the fixture's namespaces here.
  collated: [...JSON.parse(namespaces)].sort((a, b) => a.localeCompare(b)),
  utcOffsetMinutes: -new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset(),
}));
