/**
 * The building blocks of obs-stack's config schema (zod): every kind of field the config uses, each with
 * the message and the fix a user reads when a value is refused. Components build their config slice from
 * these (`src/components/<name>/config.ts`); `schema.ts` assembles the whole StackConfig.
 *
 * Every refusal is a `problem(message, fix)`: `message` follows the value (`is not a duration`), `fix` says
 * what to write instead. `validate.ts` turns zod's issues into `path: value message; fix` lines.
 */
import { RE2JS } from 're2js';
import * as z from 'zod';
import {
  GO_DURATION_MAX_NS, parseDurationNs, parseGoDurationNs, parseQuantityExact,
} from './units';

// ---------------------------------------------------------------------------------------------------
// Problems: a message and its fix, carried through zod

const SEP = '\u001f';

/** One refusal: what is wrong (phrased to follow the value) and how to fix it. */
export function problem(message: string, fix: string): string {
  return `${message}${SEP}${fix}`;
}

/** Splits a `problem()` text; `fix` is undefined for a message zod wrote itself. */
export function splitProblem(text: string): { message: string; fix: string | undefined } {
  const i = text.indexOf(SEP);
  return i < 0 ? { message: text, fix: undefined } : { message: text.slice(0, i), fix: text.slice(i + 1) };
}

/** What a check returns: nothing when the value is good, else `[message, fix]`. */
export type Verdict = readonly [message: string, fix: string] | undefined;

/**
 * Reports a problem at `path` (relative to the value being refined), showing `value` as given. Checks that
 * compare fields run only on fields that passed their own checks: `fatal` problems (every field's own)
 * stop the checks of the objects around them.
 */
export function report<T>(ctx: z.RefinementCtx<T>, path: ReadonlyArray<string | number>, value: unknown, message: string, fix: string, fatal = false): void {
  ctx.addIssue({ code: 'custom', path: [...path], message: problem(message, fix), params: { value }, ...(fatal ? { fatal: true } : {}) });
}

/** A zod check that runs `verdict` on an already type-checked value. */
function checked<T>(verdict: (v: T) => Verdict) {
  return (v: T, ctx: z.RefinementCtx<T>) => {
    const p = verdict(v);
    if (p !== undefined) report(ctx, [], v, p[0], p[1], true);
  };
}

// ---------------------------------------------------------------------------------------------------
// Display: values and keys as a user can read them, whatever they contain

// Control, format (zero-width, bidi), line/paragraph separators, non-ASCII spaces and lone surrogates.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]|(?![ ])\p{Zs}/gu;

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Replaces characters a terminal would hide or act on with escapes (`\n`, `\u200b`, `\u{e0041}`). */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => {
    if (SHORT_ESCAPES[c] !== undefined) return SHORT_ESCAPES[c];
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

/** Whether `text` holds a character `escapeInvisible` would escape. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  const found = INVISIBLE.test(text);
  INVISIBLE.lastIndex = 0;
  return found;
}

const MAX_SHOWN = 300;

/**
 * A value as given, so that `NaN`, `Infinity`, `null`, `"1"` and `1` all read differently: strings quoted
 * (JSON escapes plus invisible characters escaped), numbers as JavaScript writes them, objects and lists
 * in compact JSON form with the same rules inside.
 */
export function showValue(value: unknown): string {
  const text = show(value, new Set());
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

function show(v: unknown, seen: Set<unknown>): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return escapeInvisible(JSON.stringify(v));
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'symbol') return escapeInvisible(v.toString());
  if (typeof v === 'function') return '[function]';
  if (seen.has(v)) return '[circular]';
  seen.add(v);
  try {
    if (Array.isArray(v)) return `[${Array.from(v, (x) => show(x, seen)).join(',')}]`;
    const proto = Object.getPrototypeOf(v);
    const entry = (k: string) => {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      return `${escapeInvisible(JSON.stringify(k))}:${'value' in d ? show(d.value, seen) : '[getter]'}`;
    };
    const body = `{${Object.keys(v as object).map(entry).join(',')}}`;
    if (proto === Object.prototype || proto === null) return body;
    // An object literal with a `__proto__` key inherits its fields: show them, they are what the user wrote.
    if (!Object.prototype.hasOwnProperty.call(proto, 'constructor')) return `${body} with __proto__ ${show(proto, seen)}`;
    const name = typeof proto?.constructor?.name === 'string' ? proto.constructor.name : 'object';
    return `${escapeInvisible(name)} ${body}`;
  } finally {
    seen.delete(v);
  }
}

// ---------------------------------------------------------------------------------------------------
// Structure: objects, lists and maps

/**
 * An object with exactly these keys (unknown keys and typos are refused). The fix of an unknown key lists
 * the known ones (`validate.ts` adds a "did you mean"). Callers end with `.readonly()`.
 */
export function obj<S extends z.core.$ZodLooseShape>(shape: S) {
  const keys = Object.keys(shape).sort();
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys'
      ? problem('is not a known option', `use one of: ${keys.join(', ')}`)
      : problem('must be an object', `write it as { ${keys.join(', ')} }`)),
  });
}

/** A list of `item`; `example` shows one in the fix. */
export function list<T extends z.ZodType>(item: T, example: string) {
  return z.array(item, { error: problem('must be a list', `use e.g. ${example}`) }).readonly();
}

/** Refuses a list holding the same value twice (by `key`; `field`: the entry's field that must differ). */
export function uniqueBy<T>(key: (v: T) => string, message: string, fix: string, field?: keyof T & string) {
  return (items: readonly T[], ctx: z.RefinementCtx<readonly T[]>) => {
    const seen = new Set<string>();
    items.forEach((v, i) => {
      const k = key(v);
      if (seen.has(k)) report(ctx, field === undefined ? [i] : [i, field], field === undefined ? v : v[field], message, fix);
      seen.add(k);
    });
  };
}

/**
 * A map of string to string (labels, headers, annotations): keys checked by `keyVerdict`, values by
 * `value`. Keys are never `__proto__`-like: resolve.ts refuses those before parsing.
 */
export function stringMap<V extends z.ZodType<string>>(keyVerdict: (key: string) => Verdict, value: V, example: string) {
  return z.record(text(['must be a string', `write it as ${example}`], keyVerdict), value, { error: problem('must be a map of strings', `write it as ${example}`) })
    .readonly();
}

// ---------------------------------------------------------------------------------------------------
// Scalars

export function flag() {
  return z.boolean({ error: problem('must be true or false', 'write true or false without quotes') });
}

/** One of a fixed set of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, message: string, fix: string) {
  return z.enum(values, { error: problem(message, fix) });
}

/** A string checked by `verdict`; anything that is not a string is refused with `typeProblem`. */
export function text(typeProblem: readonly [string, string], verdict: (v: string) => Verdict = () => undefined) {
  return z.string({ error: problem(typeProblem[0], typeProblem[1]) }).superRefine(checked(verdict));
}

/** Free text (a user name, a Git revision, a relabel replacement): printable, no control or zero-width characters. */
export function printable(example: string, opts: { empty?: boolean } = {}) {
  return text(['must be a string', `use e.g. "${example}"`], (v) => {
    if (v === '' && !opts.empty) return ['must not be empty', `use e.g. "${example}"`];
    if (hasInvisible(v)) return ['contains a control, zero-width or other invisible character', 'retype the value with visible characters only'];
    return undefined;
  });
}

/** The largest Kubernetes int32 (replicas, ports, priorities). */
export const INT32_MAX = 2_147_483_647;

/**
 * A number between `min` and `max` (both included; `integer` for counts Go or Kubernetes read as
 * integers). One message for a wrong type and a wrong range; the fix gives an example and the bound.
 */
export function num(opts: { min: number; max: number; integer?: boolean; example: number; message: string; minExclusive?: boolean; bound?: string }) {
  const fix = `use e.g. ${opts.example}${opts.bound === undefined ? '' : ` (${opts.bound})`}`;
  return z.number({ error: problem(opts.message, fix) }).superRefine(checked((v) => {
    const low = opts.minExclusive ? v > opts.min : v >= opts.min;
    if (!Number.isFinite(v) || !low || v > opts.max || (opts.integer && !Number.isInteger(v))) return [opts.message, fix];
    return undefined;
  }));
}

/** A positive integer Go reads into an `int` (no `1e+21`, no precision lost above 2^53). */
export function positiveInt(example: number, max = Number.MAX_SAFE_INTEGER) {
  return num({ min: 1, max, integer: true, example, message: 'must be a positive integer', bound: max === INT32_MAX ? `at most ${max}, Kubernetes int32` : `at most ${max}` });
}

/** Kubernetes replicas (and replication factors): int32 from 1. */
export function replicas(example: number) {
  return positiveInt(example, INT32_MAX);
}

/** A positive finite number up to `max`. */
export function positive(example: number, max: number) {
  return num({ min: 0, minExclusive: true, max, example, message: 'must be a positive number', bound: `at most ${max}` });
}

/** Zero or a positive finite number up to `max`. */
export function nonNegative(example: number, max: number) {
  return num({ min: 0, max, example, message: 'must be zero or a positive number', bound: `at most ${max}` });
}

/** A fraction from 0 to 1. */
export function ratio(example: number) {
  return num({ min: 0, max: 1, example, message: 'is not a ratio between 0 and 1' });
}

/** A TCP/UDP port another system listens on. */
export function port(example: number) {
  return num({ min: 1, max: 65535, integer: true, example, message: 'is not a port', bound: 'an integer from 1 to 65535' });
}

/** A port obs-stack's own (non-root) containers listen on. */
export function listenPort(example: number) {
  return z.number({ error: problem('is not an unprivileged port', 'use an integer from 1024 to 65535 (the stack runs as non-root)') })
    .superRefine(checked((v) => (Number.isInteger(v) && v >= 1024 && v <= 65535
      ? undefined
      : ['is not an unprivileged port', `use an integer from 1024 to 65535 (the stack runs as non-root), e.g. ${example}`])));
}

/**
 * A component's listen ports (`<component>.ports`), which share one pod and so must differ. `examples`
 * gives each port's name and an example; the map keeps the order given (the order Services list them).
 */
export function listenPorts<const K extends string>(component: string, examples: Readonly<Record<K, number>>) {
  const shape = Object.fromEntries(Object.entries(examples).map(([k, v]) => [k, listenPort(v as number)])) as Record<K, ReturnType<typeof listenPort>>;
  return obj(shape).superRefine((ports, ctx) => {
    const seen = new Map<number, string>();
    for (const [name, p] of Object.entries(ports) as Array<[string, number]>) {
      const clash = seen.get(p);
      if (clash !== undefined) report(ctx, [name], p, `clashes with ${component}.ports.${clash} (both listen in the same pod)`, 'give each port of a component its own number');
      seen.set(p, name);
    }
  }).readonly();
}

// ---------------------------------------------------------------------------------------------------
// Durations, sizes, quantities

const ZERO_FIX = 'a zero duration switches the setting off or means "no limit" upstream';

function durationRange(ns: bigint | undefined, example: string, units: string): Verdict {
  if (ns === undefined) return ['is not a duration', `use e.g. "${example}" (${units})`];
  if (ns === 0n) return ['is zero', `use a positive duration, e.g. "${example}" (${ZERO_FIX})`];
  if (ns < 0n) return ['is negative', `use a positive duration, e.g. "${example}"`];
  if (ns > GO_DURATION_MAX_NS) return ['is longer than the longest duration Go can hold (about 292 years)', `use e.g. "${example}"`];
  return undefined;
}

/** Why `v` is not a positive Prometheus-style duration within Go's range; undefined when it is one. */
export function durationVerdict(v: string, example: string): Verdict {
  return durationRange(parseDurationNs(v), example, 'units ms, s, m, h, d, w, y');
}

/** A Prometheus-style duration (`15d`, `1h30m`): positive and within Go's range. `"0"` and `"0s"` are both zero. */
export function duration(example: string) {
  return text(['is not a duration', `use e.g. "${example}" (units ms, s, m, h, d, w, y)`], (v) => durationVerdict(v, example));
}

/** A Go duration (`336h`, `10s`): no `d` or `w` unit, positive and within range. */
export function goDuration(example: string) {
  const fix = `use hours, minutes or seconds, e.g. "${example}" (no "d" or "w" unit)`;
  return text(['is not a Go duration', fix], (v) => {
    const ns = parseGoDurationNs(v);
    if (ns === undefined) return ['is not a Go duration', fix];
    return durationRange(ns, example, 'units h, m, s, ms');
  });
}

/** 2^63-1: Kubernetes caps every quantity there (in bytes, or milli-units for CPU). */
const QUANTITY_MAX = 2n ** 63n - 1n;

/** Kubernetes quantity: positive, at most 2^63-1 (bytes) or 2^63-1 milli-cores (`cpu`), CPU at least 1m. */
export function quantity(example: string, opts: { cpu?: boolean } = {}) {
  return text(['is not a Kubernetes quantity', `use e.g. "${example}"`], (v) => {
    const q = parseQuantityExact(v);
    if (q === undefined) return ['is not a Kubernetes quantity', `use e.g. "${example}"`];
    if (q.numerator === 0n) return ['must be greater than zero', `use e.g. "${example}"`];
    const scaled = opts.cpu ? q.numerator * 1000n : q.numerator;
    if (scaled > QUANTITY_MAX * q.denominator) return ['is larger than Kubernetes can hold (2^63-1)', `use e.g. "${example}"`];
    if (opts.cpu && scaled < q.denominator) return ['is below 1m, the smallest CPU quantity', `use e.g. "${example}"`];
    return undefined;
  });
}

// ---------------------------------------------------------------------------------------------------
// Names

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDnsLabel(v: string): boolean {
  return v.length <= 63 && DNS_LABEL.test(v);
}

export function isDnsSubdomain(v: string): boolean {
  return v.length <= 253 && DNS_SUBDOMAIN.test(v);
}

/** A DNS label (namespaces, names): lower-case letters, digits and `-`, at most 63. */
export function dnsLabel(example: string) {
  return text(['must be a string', `use a DNS label such as "${example}"`], (v) => {
    if (v === '') return ['must not be empty', `use a DNS label such as "${example}"`];
    if (!isDnsLabel(v)) return ['is not a valid DNS label (lower-case letters, digits and "-", at most 63)', `use e.g. "${example}"`];
    return undefined;
  });
}

/** A DNS subdomain (Secret, StorageClass, host names). */
export function dnsSubdomain(example: string) {
  const fix = `use lower-case letters, digits, "-" and ".", e.g. "${example}"`;
  return text(['is not a valid DNS name', fix], (v) => (isDnsSubdomain(v) ? undefined : ['is not a valid DNS name', fix]));
}

const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/** A key inside a Secret. */
export function secretKey(example: string) {
  return text(['must be a string', `use e.g. "${example}"`], (v) => {
    if (v === '') return ['must not be empty', `use e.g. "${example}"`];
    if (!SECRET_KEY.test(v) || v === '.' || v.startsWith('..')) return ['is not a valid Secret key', `use letters, digits, "-", "_" and ".", e.g. "${example}"`];
    return undefined;
  });
}

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const RESERVED_LABEL_PREFIX = 'app.kubernetes.io/';

export function isLabelValue(v: string): boolean {
  return v.length <= 63 && LABEL_VALUE.test(v);
}

/** Why `key` is not a label key (`name` or `prefix/name`), or is one obs-stack owns (`owned`); undefined when fine. */
export function labelKeyVerdict(owned: boolean) {
  return (key: string): Verdict => {
    const slash = key.indexOf('/');
    const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
    if (!LABEL_NAME.test(name) || name.length > 63 || (prefix !== undefined && !isDnsSubdomain(prefix))) {
      return ['is not a valid label name', 'use e.g. "team" or "example.com/team"'];
    }
    if (owned && key.startsWith(RESERVED_LABEL_PREFIX)) return ['is set by obs-stack itself', 'choose a label outside app.kubernetes.io/'];
    return undefined;
  };
}

const labelValue = text(['is not a valid label value', 'use a string of at most 63 letters, digits, "-", "_" or "."'],
  (v) => (isLabelValue(v) ? undefined : ['is not a valid label value', 'use at most 63 letters, digits, "-", "_" or ".", starting and ending alphanumeric']));

/**
 * Kubernetes labels. `owned`: keys under app.kubernetes.io/ are refused (obs-stack sets them on its own
 * objects); a selector of someone else's pods may use them.
 */
export function labels(owned: boolean) {
  return stringMap(labelKeyVerdict(owned), labelValue, '{ team: "platform" }');
}

/** ServiceAccount annotations: label-style keys, printable values. */
export function annotations() {
  return stringMap(labelKeyVerdict(false), printable('arn:aws:iam::123456789012:role/loki'), '{ "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/loki" }');
}

const PROM_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus's label-name syntax (the classic one every remote store accepts). */
export function isPromLabelName(v: string): boolean {
  return PROM_LABEL_NAME.test(v);
}

export function promLabelName(example: string) {
  const fix = `use letters, digits and "_", not starting with a digit, e.g. "${example}"`;
  return text(['is not a valid Prometheus label name', fix], (v) => (isPromLabelName(v) ? undefined : ['is not a valid Prometheus label name', fix]));
}

/** External labels: label-name keys not starting with `__`, none of `reserved`, non-empty values. */
export function promLabels(reserved: readonly string[]) {
  return stringMap((key) => {
    if (!isPromLabelName(key) || key.startsWith('__')) return ['is not a valid Prometheus label name', 'use letters, digits and "_", e.g. "region"'];
    if (reserved.includes(key)) return ['is set by obs-stack itself', `remove it; obs-stack sets ${reserved.join(', ')}`];
    return undefined;
  }, printable('eu-west-1'), '{ region: "eu-west-1" }');
}

// ---------------------------------------------------------------------------------------------------
// Regular expressions (Go's RE2, as relabel rules and matchers compile them)

/** Why `regex` does not compile as a Go program of the stack compiles it (RE2 syntax, anchored); undefined when it does. */
export function re2Problem(regex: string): string | undefined {
  try {
    RE2JS.compile(`^(?:${regex})$`);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function re2(example: string) {
  return text(['must be a string', `use RE2 syntax, e.g. "${example}"`], (v) => {
    if (hasInvisible(v)) return ['contains a control, zero-width or other invisible character', 'write the character as an escape such as \\x{200b} or \\n'];
    const why = re2Problem(v);
    return why === undefined ? undefined : [`is not an RE2 regular expression (${why})`, `use RE2 syntax (no lookarounds or backreferences), e.g. "${example}"`];
  });
}

// ---------------------------------------------------------------------------------------------------
// URLs and addresses

const HOST_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
const HOST = `${HOST_LABEL}(?:\\.${HOST_LABEL})*`;
const URL_PARTS = new RegExp(`^(https?)://(?:([^@/?#]*)@)?(${HOST}|\\[[0-9A-Fa-f:.]+\\])(?::(\\d+))?(/[^?#]*)?(?:\\?([^#]*))?(#.*)?$`);
const PATH_CHARS = /^[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;
const CREDENTIAL_PARAM = /(^|[-_.])(token|access[-_]?token|api[-_]?key|key|secret|password|passwd|pwd|signature|sig|auth|authorization|credential|credentials)$/i;

export interface UrlOptions {
  /** A path is allowed (remote write `/api/v1/push`); else scheme, host and port only. */
  readonly path: boolean;
  /** An IPv6 literal host (`https://[fd00::1]:6443`) is allowed: the stack itself never connects to it. */
  readonly ipv6Host?: boolean;
}

/**
 * Why `url` is not an http(s) URL obs-stack can write into a config: never credentials (`user:pass@` or a
 * token in the query), a port from 1 to 65535, visible ASCII only. Undefined when it is one.
 */
export function httpUrlProblem(url: string, example: string, opts: UrlOptions): Verdict {
  if (hasInvisible(url) || /\s/.test(url)) return ['contains whitespace, a control or an invisible character', `use e.g. "${example}"`];
  const m = URL_PARTS.exec(url);
  if (!m) return ['is not an http(s) URL', `use e.g. "${example}"`];
  if (m[2] !== undefined) {
    return ['carries credentials (user or password before "@"), which would be written into the output',
      `remove them: use e.g. "${example}" and give the credentials through basicAuth or bearerToken with a Secret`];
  }
  if (m[6] !== undefined) {
    const names = m[6].split('&').map((p) => decodeSafe(p.split('=')[0]));
    const secret = names.find((n) => CREDENTIAL_PARAM.test(n));
    if (secret !== undefined) {
      return [`carries a credential in the query ("${escapeInvisible(secret)}"), which would be written into the output`, 'remove it and give the credential through basicAuth or bearerToken with a Secret'];
    }
  }
  if (m[3].startsWith('[') && !opts.ipv6Host) return ['has an IPv6 address as its host, which the NetworkPolicies cannot name', `use a host name, e.g. "${example}"`];
  if (m[4] !== undefined && !(/^\d{1,5}$/.test(m[4]) && Number(m[4]) >= 1 && Number(m[4]) <= 65535)) {
    return ['has a port outside 1 to 65535', `use e.g. "${example}"`];
  }
  if (m[5] !== undefined && !PATH_CHARS.test(m[5])) return ['has characters a URL path cannot hold', 'percent-encode them (e.g. a space as %20)'];
  if (m[7] !== undefined) return ['has a fragment ("#...")', `remove it: use e.g. "${example}"`];
  if (!opts.path && ((m[5] !== undefined && m[5] !== '/') || m[6] !== undefined)) {
    return ['has a path or query', `use scheme, host and port only, e.g. "${example}"`];
  }
  return undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** An http(s) URL (see `httpUrlProblem`). */
export function httpUrl(example: string, opts: UrlOptions = { path: true }) {
  return text(['is not an http(s) URL', `use e.g. "${example}"`], (v) => httpUrlProblem(v, example, opts));
}

/** An http(s) URL, or `""` for "not set". */
export function optionalHttpUrl(example: string, opts: UrlOptions = { path: true }) {
  return text(['is not an http(s) URL', `use e.g. "${example}", or "" for none`], (v) => (v === '' ? undefined : httpUrlProblem(v, example, opts)));
}

/** An IPv4 or IPv6 CIDR (`10.0.0.0/8`, `fd00::/8`) as NetworkPolicy `ipBlock.cidr` takes it. */
export function cidrProblem(v: string): string | undefined {
  const slash = v.indexOf('/');
  if (slash < 0) return 'has no prefix length ("/8", "/32", "/64")';
  const addr = v.slice(0, slash);
  const prefix = v.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix) || (prefix.length > 1 && prefix.startsWith('0'))) return 'has no valid prefix length';
  if (addr.includes(':')) {
    if (!isIpv6(addr)) return 'is not an IPv6 address followed by a prefix length';
    return Number(prefix) <= 128 ? undefined : 'has an IPv6 prefix length above 128';
  }
  if (!isIpv4(addr)) return 'is not an IPv4 address (four numbers from 0 to 255, without leading zeros) followed by a prefix length';
  return Number(prefix) <= 32 ? undefined : 'has an IPv4 prefix length above 32';
}

function isIpv4(v: string): boolean {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

function isIpv6(v: string): boolean {
  let rest = v;
  let groups = 8;
  const lastColon = rest.lastIndexOf(':');
  if (rest.slice(lastColon + 1).includes('.')) {
    if (!isIpv4(rest.slice(lastColon + 1))) return false;
    rest = rest.slice(0, lastColon + 1) + (rest[lastColon - 1] === ':' ? '' : '0');
    groups = 7;
    if (rest.endsWith('::')) rest = rest.slice(0, -1) + ':0';
  }
  const halves = rest.split('::');
  if (halves.length > 2) return false;
  const parse = (s: string): string[] | undefined => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => /^[0-9A-Fa-f]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = parse(halves[0]);
  if (head === undefined) return false;
  if (halves.length === 1) return head.length === groups;
  const tail = parse(halves[1]);
  return tail !== undefined && head.length + tail.length < groups;
}

export function cidr(example: string) {
  return text(['is not a CIDR', `use e.g. "${example}"`], (v) => {
    const why = cidrProblem(v);
    return why === undefined ? undefined : [`is not a CIDR: ${why}`, `use e.g. "${example}" or "fd00::/8"`];
  });
}

// ---------------------------------------------------------------------------------------------------
// HTTP headers

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie)$/i;

/**
 * Extra HTTP headers (not secrets): token-syntax names, each once whatever its case, values of visible
 * characters (no CR/LF, control or zero-width characters). `reserved`: names the consumer sets itself.
 */
export function headers(reserved: readonly string[] = []) {
  const value = text(['must be a string', 'use e.g. "tenant-1"'], (v) => {
    if (v === '') return ['must be a non-empty string', 'use e.g. "tenant-1"'];
    if (hasInvisible(v)) return ['contains a line break, a control or an invisible character, which could inject another header', 'use visible characters only'];
    if (v !== v.trim()) return ['starts or ends with whitespace, which HTTP drops', 'remove the surrounding spaces'];
    return undefined;
  });
  return stringMap((name) => {
    if (!HEADER_NAME.test(name)) return ['is not an HTTP header name', 'use letters, digits and "-", e.g. "X-Scope-OrgID"'];
    if (CREDENTIAL_HEADERS.test(name)) return ['carries credentials, which must not be written into the output', 'use basicAuth or bearerToken with a Secret instead'];
    if (reserved.includes(name.toLowerCase())) return ['is a header the consumer sets itself', 'remove it'];
    return undefined;
  }, value, '{ "X-Scope-OrgID": "tenant-1" }').superRefine((map, ctx) => {
    const seen = new Map<string, string>();
    for (const name of Object.keys(map)) {
      const other = seen.get(name.toLowerCase());
      if (other !== undefined) report(ctx, [name], name, `repeats header ${showValue(other)} (header names ignore case)`, 'keep one of them');
      seen.set(name.toLowerCase(), name);
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// Shared shapes: images, resources, storage, credentials, object storage

const IMAGE_REPOSITORY = /^[a-z0-9]([a-z0-9._\-/:]*[a-z0-9])?$/;
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/**
 * A container image pinned by tag. `registryHost`: the repository must start with a registry host
 * (`docker.io/...`), as the Helm charts take registry and repository apart.
 */
export function image(example: { repository: string; tag: string }, opts: { registryHost: boolean }) {
  return obj({
    /** Registry and repository, e.g. `quay.io/prometheus/prometheus`. */
    repository: text(['is not an image repository', `use e.g. "${example.repository}"`], (v) => {
      if (!IMAGE_REPOSITORY.test(v) || v.includes('@') || v.includes('//')) return ['is not an image repository', `use e.g. "${example.repository}"`];
      const host = /^([a-z0-9-]+\.[a-z0-9.-]+|localhost)(?::(\d{1,5}))?\//.exec(v);
      if (opts.registryHost && host === null) return ['has no registry host', `write the full name, e.g. "${example.repository}"`];
      if (host?.[2] !== undefined && !(Number(host[2]) >= 1 && Number(host[2]) <= 65535)) return ['has a registry port outside 1 to 65535', `use e.g. "${example.repository}"`];
      return undefined;
    }),
    /** An exact version tag, e.g. `v3.14.0`. */
    tag: text(['is not an image tag', `use an exact version such as "${example.tag}"`], (v) => {
      if (!IMAGE_TAG.test(v)) return ['is not an image tag', `use an exact version such as "${example.tag}"`];
      if (v === 'latest') return ['is not pinned', 'use an exact version so every apply runs the same image'];
      return undefined;
    }),
  }).readonly();
}

function cpuMemory(cpu: string, memory: string) {
  return obj({ cpu: quantity(cpu, { cpu: true }), memory: quantity(memory) }).readonly();
}

/** CPU and memory for one container, as Kubernetes quantities; requests never above limits. */
export const resourcesSchema = obj({
  requests: cpuMemory('100m', '256Mi'),
  limits: cpuMemory('500m', '512Mi'),
}).superRefine((r, ctx) => {
  for (const k of ['cpu', 'memory'] as const) {
    const req = parseQuantityExact(r.requests[k]);
    const lim = parseQuantityExact(r.limits[k]);
    if (req !== undefined && lim !== undefined && req.numerator * lim.denominator > lim.numerator * req.denominator) {
      report(ctx, ['requests', k], r.requests[k], `is more than limits.${k} ${showValue(r.limits[k])}`, 'lower the request or raise the limit');
    }
  }
}).readonly();

/** Where a component keeps its data. */
export const storageSchema = obj({
  /** true: a PersistentVolumeClaim of `size`; false: an emptyDir capped at `size` (lost with the pod). */
  persistent: flag(),
  /** Volume size as a Kubernetes quantity, e.g. `20Gi`. */
  size: quantity('10Gi'),
  /** StorageClass for the claim. @default - `common.storageClassName`, else the cluster's default class */
  storageClassName: dnsSubdomain('standard').optional(),
}).readonly();

/** Basic auth: user name in config, password from `secretName`/`passwordKey`. */
export function basicAuthSchema(exampleSecret: string, usernameFix: string) {
  return obj({
    username: text(['must not be empty', usernameFix], (v) => {
      if (v === '') return ['must not be empty', usernameFix];
      if (hasInvisible(v) || v.includes(':')) return ['contains ":", a control or an invisible character', 'use the user name alone, with visible characters'];
      return undefined;
    }),
    secretName: dnsSubdomain(exampleSecret),
    passwordKey: secretKey('password'),
  }).readonly();
}

/** Bearer token (`authorization.credentials_file`) from `secretName`/`tokenKey`. */
export function bearerTokenSchema(exampleSecret: string) {
  return obj({ secretName: dnsSubdomain(exampleSecret), tokenKey: secretKey('token') }).readonly();
}

/** Refuses basicAuth and bearerToken on one target. */
export function oneCredential<T extends { basicAuth?: unknown; bearerToken?: unknown }>(value: T, ctx: z.RefinementCtx<T>): void {
  if (value.basicAuth !== undefined && value.bearerToken !== undefined) {
    report(ctx, ['bearerToken'], value.bearerToken, 'is set together with basicAuth', 'use one of basicAuth or bearerToken');
  }
}

// ---------------------------------------------------------------------------------------------------
// Profiles

/** The profiles an environment starts from (see `defaults.ts`). */
export const PROFILE_NAMES = ['dev', 'prod', 'large'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export type DeepPartial<T> = T extends readonly (infer U)[]
  ? readonly U[]
  : T extends object
    ? { readonly [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** What each profile changes in one config slice (objects merge, lists and scalars replace). */
export type ProfileChanges<T> = Readonly<Partial<Record<ProfileName, DeepPartial<T>>>>;
