/** Validation of the `otlpGateway` slice. */
import type { StackConfig } from '../../config/types';
import type { Checker } from '../../config/validate';
import { componentPorts } from '../alertmanager/validate';

export function validateOtlpGateway(cfg: StackConfig, c: Checker): void {
  const g = cfg.otlpGateway;
  c.boolean('otlpGateway.enabled', g.enabled);
  c.image('otlpGateway.image', g.image);
  componentPorts(c, 'otlpGateway.ports', g.ports);
  c.replicas('otlpGateway.replicas', g.replicas, 2);
  c.resources('otlpGateway.resources', g.resources);
  c.duration('otlpGateway.memoryLimiter.check_interval', g.memoryLimiter.check_interval, '1s');
  const pct = (path: string, v: unknown, example: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 100) c.fail(path, v, 'is not a percentage', `use an integer from 1 to 100, e.g. ${example}`);
  };
  pct('otlpGateway.memoryLimiter.limit_percentage', g.memoryLimiter.limit_percentage, 80);
  pct('otlpGateway.memoryLimiter.spike_limit_percentage', g.memoryLimiter.spike_limit_percentage, 20);
  if (g.memoryLimiter.spike_limit_percentage >= g.memoryLimiter.limit_percentage) {
    c.fail('otlpGateway.memoryLimiter.spike_limit_percentage', g.memoryLimiter.spike_limit_percentage,
      `is not below limit_percentage (${g.memoryLimiter.limit_percentage})`, 'use a spike limit well below the limit, e.g. 20 with 80');
  }
  c.duration('otlpGateway.batch.timeout', g.batch.timeout, '1s');
  c.positive('otlpGateway.batch.send_batch_size', g.batch.send_batch_size, 8192, true);
  if (c.positive('otlpGateway.batch.send_batch_max_size', g.batch.send_batch_max_size, 10000, true) && g.batch.send_batch_max_size < g.batch.send_batch_size) {
    c.fail('otlpGateway.batch.send_batch_max_size', g.batch.send_batch_max_size, `is below send_batch_size (${g.batch.send_batch_size})`, 'use a maximum at least as large as send_batch_size');
  }
  for (const k of ['initial_interval', 'max_interval', 'max_elapsed_time'] as const) c.duration(`otlpGateway.retry.${k}`, g.retry[k], k === 'max_elapsed_time' ? '5m' : '5s');
}
