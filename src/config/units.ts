/**
 * Parsers for the unit-carrying strings the config uses. Each returns `undefined` for a malformed value,
 * so validation can name the field and suggest a fix.
 */

const PROM_DURATION_UNITS: ReadonlyArray<[string, number]> = [
  ['y', 365 * 24 * 3600 * 1000],
  ['w', 7 * 24 * 3600 * 1000],
  ['d', 24 * 3600 * 1000],
  ['h', 3600 * 1000],
  ['m', 60 * 1000],
  ['s', 1000],
  ['ms', 1],
];

// Prometheus/Loki duration (model.Duration): units in descending order, each at most once, e.g. 1d12h.
const PROM_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** A Prometheus-style duration (`15d`, `1h30m`, `500ms`) in milliseconds; `undefined` if malformed or zero-length. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '' || value === '0') return undefined;
  const m = PROM_DURATION.exec(value);
  if (!m) return undefined;
  let ms = 0;
  PROM_DURATION_UNITS.forEach(([, factor], i) => {
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * factor;
  });
  return ms;
}

// Go time.Duration as Tempo's config parses it: no days, no weeks.
const GO_DURATION = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+$/;
const GO_UNIT_MS: Readonly<Record<string, number>> = { h: 3600e3, m: 60e3, s: 1e3, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };

/** A Go duration (`336h`, `1h30m`) in milliseconds; `undefined` if malformed (Go has no `d` unit). */
export function parseGoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || !GO_DURATION.test(value)) return undefined;
  let ms = 0;
  for (const part of value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) ms += Number(part[1]) * GO_UNIT_MS[part[2]];
  return ms;
}

const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const QUANTITY_FACTOR: Readonly<Record<string, number>> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes quantity (`500m`, `2Gi`, `1.5`) as a number (cores or bytes); `undefined` if malformed. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * QUANTITY_FACTOR[m[2] ?? ''];
}

const PROM_SIZE = /^([0-9]+)(B|KB|MB|GB|TB|PB|EB)$/;
const PROM_SIZE_FACTOR: Readonly<Record<string, number>> = {
  B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50, EB: 2 ** 60,
};

/** A Prometheus byte size (`8GB`: units are powers of 1024, as `storage.tsdb.retention.size` reads them). */
export function parsePromSize(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = PROM_SIZE.exec(value);
  return m ? Number(m[1]) * PROM_SIZE_FACTOR[m[2]] : undefined;
}

/** Bytes as the largest whole Prometheus size unit, rounding down (`8589934592` → `8GB`, `1.5 GiB` → `1536MB`). */
export function formatPromSize(bytes: number): string {
  const units: ReadonlyArray<[string, number]> = [['TB', 2 ** 40], ['GB', 2 ** 30], ['MB', 2 ** 20], ['KB', 2 ** 10]];
  for (const [unit, factor] of units) {
    if (bytes >= factor && Number.isInteger(bytes / factor)) return `${bytes / factor}${unit}`;
  }
  return `${Math.floor(bytes / 2 ** 20)}MB`;
}

/** Go's `GOMEMLIMIT` value for a memory limit in bytes: `ratio` of it, in whole MiB. */
export function goMemLimit(limitBytes: number, ratio = 0.9): string {
  return `${Math.floor((limitBytes * ratio) / 2 ** 20)}MiB`;
}
