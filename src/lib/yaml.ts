/**
 * YAML rendering with one set of options everywhere, so output is byte-for-byte stable: keys in
 * insertion order (renderers build objects in a fixed order), no line folding, no anchors.
 *
 * The text is js-yaml's `dump(value, { lineWidth: -1, noRefs: true })`, written here by a smaller writer for
 * the values obs-stack renders (plain objects, arrays, strings, numbers, booleans, null). Most strings are
 * one line of printable ASCII or lines for a literal block; for those, and for safe integers, the writer
 * applies js-yaml's style rules itself (the tests hold it to js-yaml's output). Any other string or number
 * is rendered by js-yaml once and kept. Anything else in a value (a Date, a Map, a key with a line break,
 * ...) sends the whole document through js-yaml itself.
 */
import { DUMP_SCHEMA, dump } from 'js-yaml';

const DUMP_OPTIONS = { lineWidth: -1, noRefs: true } as const;

export function toYaml(value: unknown): string {
  if (!isCollection(value) || isEmpty(value)) return dump(value, DUMP_OPTIONS);
  const w: Writer = { out: '', openEnded: false };
  try {
    writeCollection(w, value, 0, true);
  } catch (e) {
    if (e !== UNSUPPORTED) throw e;
    return dump(value, DUMP_OPTIONS);
  }
  // js-yaml ends a document with `...` when its last scalar is a literal block that keeps trailing line breaks.
  return w.openEnded ? `${w.out}\n...\n` : `${w.out}\n`;
}

/** Several documents in one YAML stream. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map((v) => `---\n${toYaml(v)}`).join('');
}

/** Thrown (and caught in `toYaml`) for a value this writer leaves to js-yaml. */
const UNSUPPORTED = Symbol('unsupported by the YAML fast path');

interface Writer { out: string; openEnded: boolean }
type Collection = Record<string, unknown> | unknown[];

/** A plain object or an array: what js-yaml writes as a mapping or a sequence. */
function isCollection(v: unknown): v is Collection {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Empty as js-yaml sees it: no item, or only keys whose value is `undefined` (written as `{}`). */
function isEmpty(c: Collection): boolean {
  if (Array.isArray(c)) return c.length === 0;
  for (const k in c) if (Object.prototype.hasOwnProperty.call(c, k) && c[k] !== undefined) return false;
  return true;
}

const INDENTS: string[] = [];
const newline = (level: number): string => (INDENTS[level] ??= `\n${'  '.repeat(level)}`);

/**
 * A non-empty mapping or sequence in block style at `level` (js-yaml's writeBlockMapping and
 * writeBlockSequence with `indent: 2`): `compact` puts the first entry on the current line.
 */
function writeCollection(w: Writer, c: Collection, level: number, compact: boolean): void {
  let first = true;
  if (Array.isArray(c)) {
    for (const raw of c) {
      if (!first || !compact) w.out += newline(level);
      first = false;
      // An undefined item is written as null.
      const item = raw === undefined ? null : raw;
      if (isCollection(item) && !isEmpty(item)) {
        w.out += '- ';
        writeCollection(w, item, level + 1, true);
      } else {
        const text = scalarOrEmpty(w, item, level + 1);
        w.out += text === '' || text.charCodeAt(0) === 10 ? `-${text}` : `- ${text}`;
      }
    }
    return;
  }
  for (const key of Object.keys(c)) {
    const value = c[key];
    if (value === undefined) continue;
    if (!first || !compact) w.out += newline(level);
    first = false;
    w.out += keyText(key);
    if (isCollection(value) && !isEmpty(value)) {
      w.out += ':';
      // A sequence under a key is indented one step; a mapping starts on the next line too.
      writeCollection(w, value, level + 1, false);
    } else {
      const text = scalarOrEmpty(w, value, level + 1);
      w.out += text === '' || text.charCodeAt(0) === 10 ? `:${text}` : `: ${text}`;
    }
  }
}

/** An empty collection (`{}` / `[]`, flow style) or a scalar, as the value of an entry at `level`. */
function scalarOrEmpty(w: Writer, v: unknown, level: number): string {
  if (isCollection(v)) {
    w.openEnded = false;
    return Array.isArray(v) ? '[]' : '{}';
  }
  w.openEnded = false;
  switch (typeof v) {
    case 'string': return stringText(w, v, level);
    case 'number': return numberText(v);
    case 'boolean': return v ? 'true' : 'false';
    default:
      if (v === null) return 'null';
      throw UNSUPPORTED;
  }
}

/**
 * How js-yaml writes each string as a block entry's value below the root, whatever the depth (it chooses
 * the style from the text alone there), or `LITERAL` for a literal block, whose lines are indented by depth.
 */
const LITERAL = 0;
const valueTexts = new Map<string, string | typeof LITERAL>();
const keyTexts = new Map<string, string>();
const numberTexts = new Map<number, string>();
/** Bounds the kept renderings; long texts (configuration files) are rendered each time instead. */
const MAX_KEPT = 50_000;
const MAX_KEPT_LENGTH = 2048;
const keep = <K, V>(m: Map<K, V>, k: K, v: V): V => {
  if (m.size >= MAX_KEPT) m.clear();
  m.set(k, v);
  return v;
};

/**
 * A letter, then letters, digits and `_./=+-`, with colons only between them (`http://x`): js-yaml writes
 * such a string plain, as a key or a value, unless it reads back as something else (`true`, `no`, `null`).
 */
const SIMPLE = /^[A-Za-z][\w./=+-]*(?::[\w./=+-]+)*$/;
const isSimplePlain = (s: string): boolean => SIMPLE.test(s) && DUMP_SCHEMA.resolveImplicitScalarTag(s).tag.tagName === STR_TAG;
const STR_TAG = 'tag:yaml.org,2002:str';

/**
 * Lines js-yaml writes, as a value below the root, as a literal block (a configuration file embedded in a
 * ConfigMap, say): more than one line, not only blanks, and only characters a block scalar can hold that js-yaml
 * does not double-quote: no tab, carriage return, C0 or C1 control, no-break space, line or paragraph separator,
 * byte-order mark, lone surrogate or noncharacter U+FFFE/U+FFFF.
 */
const LITERAL_LINES = /^[\n\x20-\x7e\xa1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;
const BLANK = /^\s*$/;
const isLiteralLines = (s: string): boolean => s.includes('\n') && LITERAL_LINES.test(s) && !BLANK.test(s);

/** One line of printable ASCII (no tab): the style js-yaml gives it follows from the text alone. */
const ASCII_LINE = /^[\x20-\x7e]*$/;
/**
 * YAML's plain scalar on one line outside flow collections (`ns-plain-one-line` in flow-out context, as js-yaml
 * tests it), for printable ASCII: not an indicator first (`-`, `?` and `:` only before a non-space), and no colon
 * before a space or at the end, no `#` after a space, no space at the end. Two tests without a repeated group,
 * so a line of millions of characters takes no more stack than a short one.
 */
const PLAIN_FIRST = /^(?:[^-?:,[\]{}#&*!|>'"%@` ]|[?:-][^ ])/;
const NOT_PLAIN = /: | #|:$| $/;
const SPACES = /^ +$/;

/**
 * js-yaml's rendering of one line of printable ASCII below the root: blanks double-quoted, plain where the
 * text reads back as the same string, single-quoted (quotes doubled) otherwise, as `''` and `'8080'` are.
 */
function asciiLineText(s: string): string {
  if (SPACES.test(s)) return `"${s}"`;
  if (s !== '=' && PLAIN_FIRST.test(s) && !NOT_PLAIN.test(s) && DUMP_SCHEMA.resolveImplicitScalarTag(s).tag.tagName === STR_TAG) return s;
  return `'${s.replaceAll("'", "''")}'`;
}

function stringText(w: Writer, s: string, level: number): string {
  if (ASCII_LINE.test(s)) return asciiLineText(s);
  let text = isLiteralLines(s) ? LITERAL : valueTexts.get(s);
  if (text === undefined) {
    const line = dump({ k: s }, DUMP_OPTIONS);
    // `k: <text>\n`, or `k: |<header>\n  <lines>\n` for a literal block.
    const rendered = line.slice(3, line.endsWith('\n...\n') ? -5 : -1);
    text = rendered.charCodeAt(0) === 124 /* | */ ? LITERAL : rendered;
    // Only a literal block spans lines; anything else would depend on the depth.
    if (text !== LITERAL && text.includes('\n')) throw UNSUPPORTED;
    if (s.length <= MAX_KEPT_LENGTH) keep(valueTexts, s, text);
  }
  if (text !== LITERAL) return text;
  w.openEnded = s === '\n' || s.endsWith('\n\n');
  return literalBlock(s, level);
}

/** Where a line that is not empty starts. */
const LINE_START = /(^|\n)(?=[^\n])/g;

/**
 * Literal blocks of long texts (dashboards, configuration files) by level: the same text recurs in every
 * environment, and in the manifests and the Helm values. Bounded by the characters held.
 */
const blocks: Map<string, string>[] = [];
let blockChars = 0;
const LONG_TEXT = 1024;
const MAX_BLOCK_CHARS = 4 * 1024 * 1024;

/** js-yaml's literal block at `level` (content indented two spaces under its key or dash). */
function literalBlock(s: string, level: number): string {
  const long = s.length >= LONG_TEXT;
  const kept = long ? blocks[level]?.get(s) : undefined;
  if (kept !== undefined) return kept;
  const indicator = /^\n* /.test(s) ? '2' : '';
  const clip = s.endsWith('\n');
  const chomp = clip && (s.endsWith('\n\n') || s === '\n') ? '+' : clip ? '' : '-';
  // Each line that is not empty indented (one native pass; a dashboard is some 1,000 lines).
  let body = s.replace(LINE_START, `$1${'  '.repeat(level)}`);
  if (body.endsWith('\n')) body = body.slice(0, -1);
  const text = `|${indicator}${chomp}\n${body}`;
  const size = s.length + text.length;
  if (long && size <= MAX_BLOCK_CHARS) {
    if (blockChars + size > MAX_BLOCK_CHARS) {
      blocks.length = 0;
      blockChars = 0;
    }
    (blocks[level] ??= new Map()).set(s, text);
    blockChars += size;
  }
  return text;
}

function keyText(key: string): string {
  if (key.length <= 1000 && isSimplePlain(key)) return key;
  let text = keyTexts.get(key);
  if (text === undefined) {
    // A key with a line break, or a very long one, is written as an explicit `? key` entry.
    if (key.includes('\n') || key.length > 1000) throw UNSUPPORTED;
    const line = dump({ [key]: 0 }, DUMP_OPTIONS);
    text = keep(keyTexts, key, line.slice(0, -': 0\n'.length));
  }
  return text;
}

function numberText(n: number): string {
  // A Map does not tell 0 from -0.
  if (Object.is(n, -0)) return dump([n], DUMP_OPTIONS).slice(2, -1);
  // js-yaml's integer tag writes a safe integer in decimal.
  if (Number.isSafeInteger(n)) return String(n);
  let text = numberTexts.get(n);
  if (text === undefined) text = keep(numberTexts, n, dump([n], DUMP_OPTIONS).slice(2, -1));
  return text;
}
