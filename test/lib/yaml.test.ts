import fc from 'fast-check';
import { dump } from 'js-yaml';
import { toYaml, toYamlStream } from '../../src/lib/yaml';

const jsYaml = (v: unknown): string => dump(v, { lineWidth: -1, noRefs: true });

/** Strings that take each of js-yaml's styles, and the corner cases of its style rules. */
const TRICKY = [
  '', ' ', '  ', 'a', 'a b', ' a', 'a ', 'true', 'True', 'yes', 'no', 'on', 'off', 'y', 'n', '~', 'null', 'Null', '=',
  '0', '1', '-1', '0x1f', '0o17', '017', '1_000', '1:30', '1.5', '.5', '1e3', '.inf', '-.Inf', '.nan', '2026-12-02',
  '2026-12-02T10:00:00Z', '<<', '-', '- a', '?', '? a', ':', 'a:', 'a: b', 'a:b', '#', 'a #b', 'a#b', '&a', '*a', '!a', '|',
  '>', "'", '"', "it's", 'say "hi"', '%', '@', '`', '[a]', '{a}', 'a,b', '---', '...', '--- a', 'a\tb', '\t', 'é',
  '\u00a0', '\u2028', '\ufeff', '\u0007', '\\', 'a\nb', 'a\n', 'a\n\n', '\n', '\n\n', ' a\nb', 'a\n b', 'a \nb',
  '\na', '  lead\nx', 'x\n---\ny', 'x\n...\n', 'line1\nline2\n', '${VAR}', '{{ .Values.x }}', 'http://a:80/b',
  'k8s.io/name', '10Gi', '500m', '0.5', '1e-7', '😀', 'Yes', 'NO', 'On', 'Y', 'N', 'nan', 'NaN', 'inf', 'Infinity', 'a:b:c',
  'a::b', 'a=b', 'a+b', 'a/b', 'a.b', 'a-', 'x_y', 'a:/', 'E1', 'e5', 'b0', 'x:1:2', 'a#', 'a,b:c', 'TRUE', 'False',
];

const scalar = fc.oneof(
  fc.constantFrom<unknown>(...TRICKY),
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  // Multi-line texts with the characters that decide between a literal block and a quoted string.
  fc.array(fc.constantFrom('a', 'b c', ' ', '\n', '\n\n', '\t', '\r', ': ', '#', '- ', '---', "'", '"', 'é', '\u0085', '\ufeff'), { maxLength: 12 }).map((p) => p.join('')),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const key = fc.oneof(fc.constantFrom(...TRICKY), fc.string());
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** `s` as a mapping value and as a sequence item at two depths, written as js-yaml writes it. */
const sameAsValueAndItem = (s: string): void => {
  const v = { k: s, list: [s, { x: [s] }] };
  expect(toYaml(v)).toBe(jsYaml(v));
};

describe('toYaml', () => {
  test('writes what js-yaml dump writes with the same options, for any JSON-like value', () => {
    fc.assert(fc.property(value, (v) => {
      expect(toYaml(v)).toBe(jsYaml(v));
    }), { numRuns: 1000 });
  });

  test('the same string at different depths, and each tricky string as a key, value and list item', () => {
    for (const s of TRICKY) {
      const v = { [s]: s, list: [s, [s], { [s]: [s] }], deep: { a: { b: { c: s } } } };
      expect(toYaml(v)).toBe(jsYaml(v));
      // Again, now that the string's rendering is kept.
      expect(toYaml(v)).toBe(jsYaml(v));
    }
  });

  test('one line of printable ASCII: every character that decides between plain, single- and double-quoted, anywhere in it', () => {
    const line = fc.array(fc.constantFrom(...'aZ09_ -?:,[]{}#&*!|>\'"%@`=.+/~\\$()^;<'), { maxLength: 8 }).map((p) => p.join(''));
    fc.assert(fc.property(line, sameAsValueAndItem), { numRuns: 5000 });
  });

  test('lines with any character, around each bound between a literal block and a double-quoted string', () => {
    const bounds = ['a', ' ', '\n', '\t', '\r', '\x7e', '\x7f', '\x85', '\xa0', '\xa1', '\u1680', '\u2027', '\u2028', '\u2029', '\u202a', '\u3000',
      '\ud7ff', '\ud800', '\udc00', '\ue000', '\ufefe', '\ufeff', '\uff00', '\ufffd', '\ufffe', '\uffff', '😀', '\x00', '\x1f'];
    const text = fc.array(fc.constantFrom(...bounds), { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
    fc.assert(fc.property(text, sameAsValueAndItem), { numRuns: 3000 });
  });

  test('a long text (a dashboard, a configuration file) at several depths, again once its blocks are kept', () => {
    const long = `${Array.from({ length: 200 }, (_, i) => (i % 7 === 0 ? '' : `line ${i}: {"a": [1, 2]}`)).join('\n')}\n`;
    for (const text of [long, ` ${long}`, `${long}\n`, long.trimEnd()]) {
      const v = { a: text, list: [text, { b: { c: [text] } }], d: { e: text } };
      expect(toYaml(v)).toBe(jsYaml(v));
      expect(toYaml(v)).toBe(jsYaml(v));
    }
  });

  test('a line of millions of characters, where js-yaml itself runs out of stack, by js-yaml\'s rules', () => {
    const line = 'a'.repeat(5_000_000);
    expect(toYaml({ k: line })).toBe(`k: ${line}\n`);
    expect(toYaml({ k: `${line} #` })).toBe(`k: '${line} #'\n`);
  });

  test('integers, safe and not', () => {
    for (const n of [0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, -1e21, 123456789012345680000]) {
      expect(toYaml({ n, list: [n] })).toBe(jsYaml({ n, list: [n] }));
    }
  });

  test('a literal block that keeps its trailing line breaks ends the document with `...`', () => {
    expect(toYaml({ a: 'x\n\n' })).toBe('a: |+\n  x\n\n...\n');
    expect(toYaml({ a: 'x\n\n', b: 1 })).toBe('a: |+\n  x\n\nb: 1\n');
  });

  test('values it does not write itself go through js-yaml', () => {
    const v = { when: new Date(0), set: new Set(['a']), 'multi\nline': 1, n: -0, [`k${'x'.repeat(1100)}`]: 1 };
    expect(toYaml(v)).toBe(jsYaml(v));
    expect(toYaml('plain')).toBe(jsYaml('plain'));
    expect(toYaml([])).toBe('[]\n');
    expect(toYaml({ a: undefined })).toBe('{}\n');
    expect(() => toYaml({ f: () => 1 })).toThrow(/unacceptable kind/);
  });

  test('a stream separates its documents with ---', () => {
    expect(toYamlStream([{ a: 1 }, ['b']])).toBe('---\na: 1\n---\n- b\n');
  });
});
