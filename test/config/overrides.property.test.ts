/**
 * Property: for random environment overrides (valid and invalid, nested, lists, prototype keys), synth
 * either refuses with a StackConfigError whose every issue names a config path, shows a value and says a
 * fix of its own, or produces output that passes the cheap verification checks. Never a TypeError, never
 * a stack trace in the message.
 *
 * `npm test` runs FUZZ_RUNS (default 40) cases from a fixed seed; `npm run fuzz` runs many more from
 * FUZZ_SEED (default: a new seed, printed so a failure can be replayed).
 */
import fc from 'fast-check';
import { showValue } from '../../src/config/fields';
import { BASE, PROFILES } from '../../src/config/defaults';
import { resolveEnvironment } from '../../src/config/resolve';
import type { EnvironmentDefinition, ProfileName } from '../../src/config/types';
import { GENERIC_FIX, StackConfigError } from '../../src/config/validate';
import { userSecrets } from '../../src/lib/user-secrets';
import { synthesize } from '../../src/outputs/synthesize';
import {
  checkReferences, checkWires, checkWiring, checkWorkloadSafety, externalAllowed, formatProblems, hostAgentExemptions,
} from '../support/checks';
import { manifestObjects } from '../support/synth';

const FIXED_SEED = 20261125;
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS !== undefined ? Date.now() % 2 ** 31 : FIXED_SEED;

type Json = Record<string, unknown>;
type Path = readonly string[];

function isPlain(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every path of BASE and the profiles: leaves (scalars, lists, empty maps) and the objects above them. */
function paths(v: unknown, path: Path, leaves: Map<string, { path: Path; values: unknown[] }>, objects: Map<string, Path>): void {
  if (isPlain(v) && Object.keys(v).length > 0) {
    if (path.length > 0) objects.set(path.join('.'), path);
    for (const [k, x] of Object.entries(v)) paths(x, [...path, k], leaves, objects);
    return;
  }
  const key = path.join('.');
  const entry = leaves.get(key) ?? { path, values: [] };
  if (v !== undefined && !entry.values.some((x) => JSON.stringify(x) === JSON.stringify(v))) entry.values.push(v);
  leaves.set(key, entry);
}

const LEAVES = new Map<string, { path: Path; values: unknown[] }>();
const OBJECTS = new Map<string, Path>();
for (const source of [BASE, ...Object.values(PROFILES)]) paths(source, [], LEAVES, OBJECTS);
const LEAF_LIST = [...LEAVES.values()];
const OBJECT_LIST = [...OBJECTS.values()];

// Values that are good for some field, so swapping them across fields also yields many valid configs.
const GOOD_STRINGS = ['15d', '336h', '30s', '10s', '1h30m', '168h', '100m', '2Gi', '500Mi', 'forever', 'standard', 'team-a', 'https://m.example.com/api/v1/push', 'eu-west-1'];
const BAD_STRINGS = ['', '0', '0s', '1000y', '2562048h', '-3d', '1e21', '9999999999Ei', '0.0001', 'x\u200by', 'a\r\nb', 'kube-system', 'default',
  'https://u:p@x.example.com', 'http://x.example.com:99999', 'latest', '(?=x)', 'Fast SSD', '__proto__', ' ', 'grafana/loki'];
const GOOD_NUMBERS = [1, 2, 3, 5, 0.5, 0.05, 100, 5000, 25000, 1024, 8080, 9443];
const BAD_NUMBERS = [0, -1, NaN, Infinity, -Infinity, 1e21, 2 ** 31, 2 ** 53, 65536, 1.5, 80];

const scalar = fc.oneof(
  fc.constantFrom<unknown>(...GOOD_STRINGS, ...GOOD_NUMBERS, true, false),
  fc.constantFrom<unknown>(...BAD_STRINGS, ...BAD_NUMBERS, null, '1', [], {}),
);

/** A nested value of random shape, prototype keys included (as own keys, as JSON.parse makes them). */
const junk: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('enabled', 'url', 'name', 'x', 'retension', 'basicauth', 'constructor', 'prototype'), tie('v'), { maxKeys: 3 }),
    tie('v').map((x) => JSON.parse(`{"__proto__": ${JSON.stringify(x ?? null) ?? 'null'}}`) as unknown),
  ),
})).v;

const relabelArb = fc.record({
  sourceLabels: fc.array(fc.constantFrom('__name__', 'job', 'bad-label', ''), { maxLength: 2 }),
  regex: fc.constantFrom('go_.*', 'up|traces_.*', '(go', '(?=x)', 'a{1001}', ''),
  action: fc.constantFrom('keep', 'drop', 'replace', 'labeldrop', 'labelkeep', 'hashmod'),
  targetLabel: fc.constantFrom('cluster', 'my-label', '$1'),
  replacement: fc.constantFrom('$1', 'x', 'a\nb'),
}, { requiredKeys: [] });

const credentialsArb = fc.oneof(
  fc.record({ basicAuth: fc.record({ username: fc.constantFrom('obs', '', 'u:p'), secretName: fc.constantFrom('store-auth', 'Bad Name'), passwordKey: fc.constantFrom('password', '..') }) }),
  fc.record({ bearerToken: fc.record({ secretName: fc.constantFrom('store-token', ''), tokenKey: fc.constantFrom('token', 'a b') }) }),
  fc.constant({}),
);

const remoteWriteArb = fc.tuple(
  fc.record({
    name: fc.constantFrom('mimir', 'thanos', 'Mimir', ''),
    url: fc.constantFrom('https://mimir.example.com/api/v1/push', 'http://thanos-receive.thanos.svc:19291/api/v1/receive', 'mimir:9009', 'https://u:p@m.example.com/push', 'https://m.example.com:0/push'),
    headers: fc.dictionary(fc.constantFrom('X-Scope-OrgID', 'x-scope-orgid', 'Authorization', 'Content-Type', 'X\u200bA'), fc.constantFrom('tenant-1', 'a\r\nb', '', 1 as unknown as string), { maxKeys: 2 }),
    queue: fc.record({ capacity: fc.constantFrom(25000, 100, 1e21, NaN), maxShards: fc.constantFrom(30, 0, 2 ** 31), maxSamplesPerSend: fc.constantFrom(5000, 500) }, { requiredKeys: [] }),
    writeRelabelConfigs: fc.array(fc.oneof(relabelArb, fc.constant(null)), { maxLength: 2 }),
  }, { requiredKeys: ['name', 'url'] }),
  credentialsArb,
).map(([rw, creds]) => ({ ...rw, ...creds }));

const alertmanagerArb = fc.tuple(
  fc.record({
    url: fc.constantFrom('https://alertmanager.example.com', 'http://alertmanager.monitoring.svc:9093', 'https://am.example.com/path', 'https://u:p@am.example.com', 'am:9093'),
    pathPrefix: fc.constantFrom('/alertmanager', 'alertmanager'),
  }, { requiredKeys: ['url'] }),
  credentialsArb,
).map(([a, creds]) => ({ ...a, ...creds }));

/** Lists with entries worth generating whole. */
const LISTS: ReadonlyArray<readonly [Path, fc.Arbitrary<unknown>]> = [
  [['prometheus', 'remoteWrite'], fc.array(fc.oneof({ weight: 4, arbitrary: remoteWriteArb }, { weight: 1, arbitrary: junk }), { maxLength: 2 })],
  [['alerts', 'alertmanagers'], fc.array(fc.oneof({ weight: 4, arbitrary: alertmanagerArb }, { weight: 1, arbitrary: junk }), { maxLength: 2 })],
  [['networkPolicy', 'kubeApiServer', 'cidrs'], fc.array(fc.constantFrom('10.0.0.0/8', '0.0.0.0/0', 'fd00::/8', '::/0', '10.0.0.1', '1::2::3/64', '10.0.0.0/33'), { maxLength: 3 })],
  [['networkPolicy', 'externalEgress', 'cidrs'], fc.array(fc.constantFrom('0.0.0.0/0', '2001:db8::/32', '::ffff:10.0.0.0/104', '300.0.0.0/8'), { maxLength: 3 })],
  [['networkPolicy', 'kubeApiServer', 'ports'], fc.array(fc.constantFrom(443, 6443, 0, 70000, 99999, 1.5), { maxLength: 3 })],
  [['common', 'imagePullSecrets'], fc.array(fc.constantFrom('regcred', 'other', 'Bad', null), { maxLength: 3 })],
];

type Mutation = readonly [Path, unknown];

const leafMutation: fc.Arbitrary<Mutation> = fc.constantFrom(...LEAF_LIST).chain((leaf) => fc.oneof(
  { weight: 3, arbitrary: leaf.values.length > 0 ? fc.constantFrom(...leaf.values) : scalar },
  { weight: 3, arbitrary: scalar },
  { weight: 1, arbitrary: junk },
).map((v): Mutation => [leaf.path, v]));

const listMutation: fc.Arbitrary<Mutation> = fc.constantFrom(...LISTS).chain(([path, arb]) => arb.map((v): Mutation => [path, v]));

const objectMutation: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom(...OBJECT_LIST), fc.constantFrom('retension', 'Enabled', 'basicauth', 'foo', '__proto__', 'constructor', 'prototype'), junk)
  .map(([path, key, v]): Mutation => [[...path, key], v]);

const wholeObjectMutation: fc.Arbitrary<Mutation> = fc.tuple(fc.constantFrom(...OBJECT_LIST), junk).map(([path, v]): Mutation => [path, v]);

const mutationArb = fc.oneof(
  { weight: 4, arbitrary: leafMutation },
  { weight: 3, arbitrary: listMutation },
  { weight: 1, arbitrary: objectMutation },
  { weight: 1, arbitrary: wholeObjectMutation },
);

/** The overrides made of `mutations`, each set at its path (a later one under a scalar is dropped). */
function overridesOf(mutations: readonly Mutation[]): Json {
  const root: Json = {};
  for (const [path, value] of mutations) {
    let node: Json = root;
    let ok = true;
    for (const key of path.slice(0, -1)) {
      const next = Object.getOwnPropertyDescriptor(node, key)?.value;
      if (next === undefined) {
        const fresh: Json = {};
        Object.defineProperty(node, key, { value: fresh, enumerable: true, writable: true, configurable: true });
        node = fresh;
      } else if (isPlain(next)) node = next;
      else {
        ok = false;
        break;
      }
    }
    // defineProperty: an own `__proto__` key, as JSON.parse makes it, never the prototype setter.
    if (ok) Object.defineProperty(node, path[path.length - 1], { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

const environmentArb = fc.record({
  profile: fc.constantFrom<ProfileName>('dev', 'prod', 'large'),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
});

// A path as validate.ts prints it: keys joined by ".", list indexes in brackets, an empty key as [""].
const CONFIG_PATH = /^(environments(\[\]|\[\d+\]|\.[^.\s]+)|[A-Za-z_][\w-]*)((\.[^\s]+)|\[\d+\]|\[""\])*$/;

function assertCleanRefusal(e: unknown): void {
  if (!(e instanceof StackConfigError)) throw new Error(`not a StackConfigError: ${e instanceof Error ? e.stack : String(e)}`);
  expect(e.issues.length).toBeGreaterThan(0);
  for (const issue of e.issues) {
    expect(issue.path).toMatch(CONFIG_PATH);
    expect(issue.message).not.toBe('');
    expect(issue.fix).not.toBe('');
    expect(issue.fix).not.toBe(GENERIC_FIX);
    expect(typeof showValue(issue.value)).toBe('string');
  }
  expect(e.message).not.toMatch(/\n\s+at \S+ \(/);
  expect(e.message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060\ufeff]/);
}

const tally = { refused: 0, synthesized: 0 };

function checkOne(profile: ProfileName, overrides: Json): void {
  const def: EnvironmentDefinition = { name: 'fuzz', profile, overrides };
  let config;
  try {
    config = resolveEnvironment(def).config;
  } catch (e) {
    assertCleanRefusal(e);
    tally.refused++;
    return;
  }
  let result;
  try {
    result = synthesize([def]);
  } catch (e) {
    // The Helm path refuses what its charts cannot express, as config errors too.
    assertCleanRefusal(e);
    tally.refused++;
    return;
  }
  tally.synthesized++;
  const objects = manifestObjects(result, 'fuzz');
  const build = result.builds[0];
  const problems = [
    ...checkReferences(objects, userSecrets(config)),
    ...checkWiring(objects, externalAllowed(config)),
    ...checkWires(build.wires, objects),
    ...checkWorkloadSafety(objects, hostAgentExemptions(config.common.agentNamespace, { cadvisorPrivileged: config.cadvisor.privileged })),
  ];
  expect(formatProblems(problems)).toBe('');
  // No number in exponent form (1e+21) reaches a generated file.
  for (const [file, text] of result.files) {
    expect({ file, exponent: /(^|[\s:[,])-?\d+(\.\d+)?e[+-]?\d+([\s,\]]|$)/m.exec(text)?.[0] }).toEqual({ file, exponent: undefined });
  }
}

describe('random overrides: a clean refusal or output that passes the checks', () => {
  test(`${RUNS} runs from seed ${SEED}`, () => {
    if (process.env.FUZZ_RUNS !== undefined) process.stdout.write(`overrides property: ${RUNS} runs, seed ${SEED}\n`);
    fc.assert(fc.property(environmentArb, ({ profile, mutations }) => checkOne(profile, overridesOf(mutations))), { seed: SEED, numRuns: RUNS });
    // Both outcomes are exercised: a generator that only ever produces refusals would prove little.
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.synthesized).toBeGreaterThan(0);
    if (process.env.FUZZ_RUNS !== undefined) process.stdout.write(`overrides property: ${tally.refused} refused, ${tally.synthesized} synthesized and checked\n`);
  });
});
