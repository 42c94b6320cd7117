/** Prometheus's byte sizes (`storage.tsdb.retention.size`): parsing, formatting and the config field. */
import { text } from '../../config/fields';

const INT64_MAX = 2n ** 63n - 1n;

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

/** A Prometheus byte size in bytes, exactly (for range checks near 2^63). */
export function parsePromSizeExact(value: unknown): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  const m = PROM_SIZE.exec(value);
  return m ? BigInt(m[1]) * BigInt(PROM_SIZE_FACTOR[m[2]]) : undefined;
}

/** Bytes as the largest whole Prometheus size unit, rounding down (`8589934592` → `8GB`, `1.5 GiB` → `1536MB`). */
export function formatPromSize(bytes: number): string {
  const units: ReadonlyArray<[string, number]> = [['TB', 2 ** 40], ['GB', 2 ** 30], ['MB', 2 ** 20], ['KB', 2 ** 10]];
  for (const [unit, factor] of units) {
    if (bytes >= factor && Number.isInteger(bytes / factor)) return `${bytes / factor}${unit}`;
  }
  return `${Math.floor(bytes / 2 ** 20)}MB`;
}

/** A Prometheus byte size (`8GB`, powers of 1024), positive and within int64. */
export function promSize(example: string) {
  const fix = `use e.g. "${example}" (units B, KB, MB, GB, TB; powers of 1024)`;
  return text(['is not a Prometheus size', fix], (v) => {
    const size = parsePromSizeExact(v);
    if (size === undefined) return ['is not a Prometheus size', fix];
    if (size === 0n) return ['is zero, which turns size retention off', fix];
    if (size > INT64_MAX) return ['is larger than Prometheus can hold (2^63-1 bytes)', fix];
    return undefined;
  });
}
