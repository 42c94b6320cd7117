/**
 * The composition root: one resolved environment in, a chart per component out, under `scope` (a new cdk8s
 * App unless given). It iterates the registry twice (scrape targets, then charts); every address is a wire.
 */
import { App, type Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { BuildContext, StackBuild, StackFacts } from './components/component';
import { stackContent } from './components/content';
import { REGISTRY, buildEndpoints } from './components/registry';
import type { ResolvedEnvironment } from './config/types';
import { withChartObjects } from './lib/chart-objects';
import type { Endpoint } from './lib/endpoints';
import { Labeler } from './lib/labels';
import { WireLog } from './lib/wiring';
import { finishChart } from './outputs/chart-passes';

export type { StackBuild };

export function buildStack(env: ResolvedEnvironment, scope: Construct = new App({ outdir: '.unused', recordConstructMetadata: false })): StackBuild {
  const cfg = env.config;
  const facts: StackFacts = { env, cfg, endpoints: buildEndpoints(cfg), labeler: new Labeler(env.name, cfg.common.labels) };
  const wires = new WireLog();
  const active = REGISTRY.filter((c) => c.enabled(cfg));
  const scrapers = active.flatMap((c) => c.scraper ?? []);
  if (scrapers.length !== 1) throw new Error(`internal: ${scrapers.length} enabled components are the scraper (StackComponent.scraper); the stack needs one`);
  const scrape = (to: Endpoint, purpose = `scrapes ${to.component} metrics`) => wires.connect(scrapers[0], to, 'scrape', purpose);
  const scrapeTargets = active.flatMap((c) => c.scrapeTargets?.(facts, scrape) ?? []);
  const charts: Chart[] = [];
  const content = stackContent(cfg, scrapeTargets);
  const ctx: BuildContext = { ...facts, ...content, scope, scrapeTargets, charts, wires, wire: (...w) => wires.connect(...w), scrape };
  // Finished charts are read by the components after them (the NetworkPolicies): synthesized once each.
  withChartObjects(() => {
    for (const component of active) {
      if (component.build === undefined) continue;
      const chart = component.build(ctx);
      if (chart.node.id !== component.id) throw new Error(`internal: component ${component.id} built chart ${chart.node.id}`);
      finishChart(chart, cfg, component.pods?.(cfg));
      charts.push(chart);
    }
  });
  return { env, endpoints: facts.endpoints, wires: wires.wires, charts, scrapeTargets, ...content };
}
