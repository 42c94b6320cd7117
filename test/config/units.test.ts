import { goMemLimit, parseDuration, parseGoDuration, parseQuantity } from '../../src/config/units';
import { formatPromSize, parsePromSize } from '../../src/components/prometheus/size';

describe('units', () => {
  test('parses Prometheus durations', () => {
    expect(parseDuration('15d')).toBe(15 * 86400e3);
    expect(parseDuration('1h30m')).toBe(5400e3);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1w2d')).toBe(9 * 86400e3);
    for (const bad of ['', '0', '-3d', '15', '1m1h', '1.5h', 'd', 15]) expect(parseDuration(bad)).toBeUndefined();
  });

  test('parses Go durations without days', () => {
    expect(parseGoDuration('336h')).toBe(336 * 3600e3);
    expect(parseGoDuration('1h30m')).toBe(5400e3);
    expect(parseGoDuration('1.5h')).toBe(5400e3);
    expect(parseGoDuration('.5s')).toBe(500);
    for (const bad of ['14d', '', '1w', 'h']) expect(parseGoDuration(bad)).toBeUndefined();
  });

  test('parses Kubernetes quantities', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('2Gi')).toBe(2 * 2 ** 30);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1.5')).toBe(1.5);
    for (const bad of ['2 Gi', 'Gi', '-1', '1GB', '']) expect(parseQuantity(bad)).toBeUndefined();
  });

  test('parses and formats Prometheus sizes (powers of 1024)', () => {
    expect(parsePromSize('8GB')).toBe(8 * 2 ** 30);
    expect(parsePromSize('8Gi')).toBeUndefined();
    expect(formatPromSize(8 * 2 ** 30)).toBe('8GB');
    expect(formatPromSize(1.5 * 2 ** 30)).toBe('1536MB');
  });

  test('GOMEMLIMIT leaves headroom under the memory limit', () => {
    expect(goMemLimit(1024 * 2 ** 20)).toBe('921MiB');
  });
});
