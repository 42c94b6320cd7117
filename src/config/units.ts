/**
 * Parsers for the unit-carrying strings the config uses. Each returns `undefined` for a malformed value,
 * so validation can name the field and suggest a fix.
 */

/** The largest Go `time.Duration` (int64 nanoseconds, about 292 years): the stack's Go programs parse durations into it. */
export const GO_DURATION_MAX_NS = 2n ** 63n - 1n;

const NS_PER_MS = 1_000_000n;

const PROM_DURATION_UNITS_MS: readonly bigint[] = [
  365n * 24n * 3600n * 1000n, // y
  7n * 24n * 3600n * 1000n, // w
  24n * 3600n * 1000n, // d
  3600n * 1000n, // h
  60n * 1000n, // m
  1000n, // s
  1n, // ms
];

// Prometheus-style duration (model.Duration): units in descending order, each at most once, e.g. 1d12h.
const PROM_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A Prometheus-style duration in nanoseconds, exactly; `undefined` if malformed. Zero (`0s`) parses as 0n. */
export function parseDurationNs(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (value === '0') return 0n;
  const m = PROM_DURATION.exec(value);
  if (!m) return undefined;
  let ms = 0n;
  PROM_DURATION_UNITS_MS.forEach((factor, i) => {
    if (m[i + 1] !== undefined) ms += BigInt(m[i + 1]) * factor;
  });
  return ms * NS_PER_MS;
}

/** A Prometheus-style duration (`15d`, `1h30m`, `500ms`) in milliseconds; `undefined` if malformed or zero (`0`, `0s`). */
export function parseDuration(value: unknown): number | undefined {
  const ns = parseDurationNs(value);
  return ns === undefined || ns === 0n ? undefined : Number(ns / NS_PER_MS) + Number(ns % NS_PER_MS) / 1e6;
}

// Go's time.Duration (time.ParseDuration): an optional sign, then "0" or numbers with units, each number
// with digits before or after an optional point (`1.5h`, `.5s`, `1.s`); no days, no weeks. Microseconds as
// `us`, `\u00b5s` (micro sign) or `\u03bcs` (Greek mu), as Go's unit table has them; written as escapes so the
// source and the bundle stay ASCII.
const GO_DURATION = /^[-+]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:h|m|s|ms|us|\u00b5s|\u03bcs|ns))+)$/;
const GO_UNIT_NS: Readonly<Record<string, bigint>> = { h: 3600n * 10n ** 9n, m: 60n * 10n ** 9n, s: 10n ** 9n, ms: 10n ** 6n, us: 1000n, '\u00b5s': 1000n, '\u03bcs': 1000n, ns: 1n };

/** A Go duration in nanoseconds, negative with a `-` (fractions truncated, as Go does); `undefined` if malformed. */
export function parseGoDurationNs(value: unknown): bigint | undefined {
  if (typeof value !== 'string' || !GO_DURATION.test(value)) return undefined;
  let ns = 0n;
  for (const part of value.matchAll(/(\d*)(?:\.(\d*))?(h|ms|m|s|us|\u00b5s|\u03bcs|ns)/g)) {
    const unit = GO_UNIT_NS[part[3]];
    ns += BigInt(part[1] || '0') * unit;
    if (part[2]) ns += (BigInt(part[2]) * unit) / 10n ** BigInt(part[2].length);
  }
  return value.startsWith('-') ? -ns : ns;
}

/** A Go duration (`336h`, `1h30m`) in milliseconds; `undefined` if malformed (Go has no `d` unit). */
export function parseGoDuration(value: unknown): number | undefined {
  const ns = parseGoDurationNs(value);
  return ns === undefined ? undefined : Number(ns) / 1e6;
}

const QUANTITY = /^([0-9]+)(?:\.([0-9]+))?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const QUANTITY_FACTOR: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes quantity (`500m`, `2Gi`, `1.5`) as a number (cores or bytes); `undefined` if malformed. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  return Number(m[2] === undefined ? m[1] : `${m[1]}.${m[2]}`) * QUANTITY_FACTOR[m[3] ?? ''];
}

/**
 * A Kubernetes quantity as an exact fraction `numerator / denominator` of base units (cores or bytes), for
 * range checks that must not round (Kubernetes caps quantities at 2^63-1).
 */
export function parseQuantityExact(value: unknown): { numerator: bigint; denominator: bigint } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  const frac = m[2] ?? '';
  let numerator = BigInt(m[1] + frac);
  let denominator = 10n ** BigInt(frac.length);
  const suffix = m[3] ?? '';
  if (suffix === 'm') denominator *= 1000n;
  else if (suffix.endsWith('i')) numerator *= 2n ** BigInt(10 * ('KMGTPE'.indexOf(suffix[0]) + 1));
  else if (suffix !== '') numerator *= 10n ** BigInt(3 * ('kMGTPE'.indexOf(suffix) + 1));
  return { numerator, denominator };
}

/** Go's `GOMEMLIMIT` value for a memory limit in bytes: `ratio` of it, in whole MiB. */
export function goMemLimit(limitBytes: number, ratio = 0.9): string {
  return `${Math.floor((limitBytes * ratio) / 2 ** 20)}MiB`;
}
