/**
 * The composition root: one resolved environment in, one cdk8s App with a chart per component out. It
 * iterates the registry twice (collect scrape targets, then build); every cross-component address is a wire.
 */
import { App, type Chart } from 'cdk8s';
import type { BuildContext, StackFacts } from './components/component';
import type { ScrapeTarget } from './lib/scrape';
import { REGISTRY } from './components/registry';
import type { ResolvedEnvironment } from './config/types';
import { buildEndpoints, type Endpoints } from './lib/endpoints';
import { addDisruptionBudgets } from './lib/kube';
import { Labeler } from './lib/labels';
import { WireLog, type Wire } from './lib/wiring';

export interface StackBuild {
  readonly env: ResolvedEnvironment;
  readonly app: App;
  readonly endpoints: Endpoints;
  readonly wires: readonly Wire[];
  /** Component charts in registry order (namespaces first, NetworkPolicies last). */
  readonly charts: readonly Chart[];
  /** What Prometheus scrapes besides itself, in registry order. */
  readonly scrapeTargets: readonly ScrapeTarget[];
}

export function buildStack(env: ResolvedEnvironment): StackBuild {
  const cfg = env.config;
  const facts: StackFacts = { env, cfg, endpoints: buildEndpoints(cfg), labeler: new Labeler(env.name, cfg.common.labels) };
  const wires = new WireLog();
  const active = REGISTRY.filter((c) => c.enabled(cfg));
  const scrape = (to: Parameters<WireLog['connect']>[1]) => wires.connect('prometheus', to, 'scrape', `scrapes ${to.component} metrics`);
  const scrapeTargets = active.flatMap((c) => c.scrapeTargets?.(facts, scrape) ?? []);
  const app = new App({ outdir: '.unused', recordConstructMetadata: false });
  const charts: Chart[] = [];
  const ctx: BuildContext = { ...facts, app, scrapeTargets, charts, wires, wire: (...w) => wires.connect(...w) };
  for (const component of active) {
    if (component.build === undefined) continue;
    const chart = component.build(ctx);
    addDisruptionBudgets(chart);
    charts.push(chart);
  }
  return { env, app, endpoints: facts.endpoints, wires: wires.wires, charts, scrapeTargets };
}
