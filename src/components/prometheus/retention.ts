/** Prometheus's size retention, shared by its chart, its Helm values and the stack-health dashboard. */
import type { PrometheusConfig } from '../../config/types';
import { parseQuantity } from '../../config/units';
import { formatPromSize } from './size';

/**
 * `--storage.tsdb.retention.size`: the configured value, else 80% of the volume (the rest is headroom for
 * the WAL and compaction, which size retention does not count fully).
 */
export function effectiveRetentionSize(config: PrometheusConfig): string {
  if (config.retentionSize !== undefined) return config.retentionSize;
  const volume = parseQuantity(config.storage.size) ?? 0;
  return formatPromSize(Math.floor((volume * 0.8) / 2 ** 20) * 2 ** 20);
}
