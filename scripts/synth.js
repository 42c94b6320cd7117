// @ts-check
'use strict';
/**
 * `npm run synth` and `cdk8s synth`: runs the compiled synth (build/synth.js), rebuilt first when any
 * input changed (scripts/build.js). Arguments as for src/main.ts; `npm run synth:ts` runs the TypeScript
 * directly with tsx instead (development only).
 */
process.exitCode = require('./build').loadSynth().main(process.argv.slice(2));
