import { REGISTRY } from '../src/components/registry';
import { buildEnv } from './support/synth';

describe('buildStack', () => {
  test('one component is the scraper, and every scrape wire starts from it', () => {
    const scrapers = REGISTRY.flatMap((c) => c.scraper ?? []);
    expect(scrapers).toEqual(['prometheus']);
    for (const build of [buildEnv('dev'), buildEnv('large'), buildEnv('dev', { demo: { otlp: 'all' } })]) {
      const scrapes = build.wires.filter((w) => w.kind === 'scrape');
      expect(scrapes.length).toBeGreaterThan(0);
      expect([...new Set(scrapes.map((w) => w.from))]).toEqual(scrapers);
    }
  });
});
