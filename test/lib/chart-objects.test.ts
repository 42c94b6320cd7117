import { App, Chart } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { chartObjects, scoped, withChartObjects } from '../../src/lib/chart-objects';

function chartWith(names: string[]): Chart {
  const chart = new Chart(new App(), 'c', { disableResourceNameHashes: true });
  for (const name of names) new k8s.KubeConfigMap(chart, name, { metadata: { name } });
  return chart;
}

describe('chartObjects', () => {
  test('inside withChartObjects a chart is synthesized once and every reader gets the same objects', () => {
    const chart = chartWith(['a']);
    withChartObjects(() => {
      const first = chartObjects(chart);
      expect(first.map((o) => o.metadata.name)).toEqual(['a']);
      expect(chartObjects(chart)).toBe(first);
      expect(Object.isFrozen(first)).toBe(true);
    });
  });

  test('outside it, a chart changed after a read is read as it is now', () => {
    const chart = chartWith(['a']);
    withChartObjects(() => chartObjects(chart));
    new k8s.KubeConfigMap(chart, 'b', { metadata: { name: 'b' } });
    expect(chartObjects(chart).map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(chartObjects(chart)).not.toBe(chartObjects(chart));
  });
});

describe('scoped', () => {
  test('computes once per key inside a scope, afresh in the next scope and every time outside one', () => {
    const calls: string[] = [];
    const f = scoped((key: { name: string }) => {
      calls.push(key.name);
      return { of: key.name };
    });
    const a = { name: 'a' };
    const b = { name: 'b' };
    let first: unknown;
    withChartObjects(() => {
      first = f(a);
      expect(f(a)).toBe(first);
      f(b);
    });
    expect(calls).toEqual(['a', 'b']);
    withChartObjects(() => expect(f(a)).not.toBe(first));
    f(a);
    f(a);
    expect(calls).toEqual(['a', 'b', 'a', 'a', 'a']);
  });
});
