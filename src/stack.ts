/**
 * The composition root: one resolved environment in, a chart per component out, under `scope` (a new cdk8s
 * App unless given). It iterates the registry twice (collect scrape targets, then build); every
 * cross-component address is a wire.
 */
import { App, type ApiObject, type Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { BuildContext, StackFacts } from './components/component';
import type { ScrapeTarget } from './lib/scrape';
import { REGISTRY } from './components/registry';
import type { ResolvedEnvironment } from './config/types';
import { withChartObjects } from './lib/chart-objects';
import { addConfigChecksums } from './lib/checksums';
import { type Endpoint, type Endpoints, buildEndpoints } from './lib/endpoints';
import { addDisruptionBudgets } from './lib/kube';
import { Labeler } from './lib/labels';
import { applyAnnotations, applyPodSettings } from './lib/pod-settings';
import { WireLog, type Wire } from './lib/wiring';
import { addSyncWaves } from './outputs/gitops';

export interface StackBuild {
  readonly env: ResolvedEnvironment;
  readonly endpoints: Endpoints;
  readonly wires: readonly Wire[];
  /** Component charts in registry order (namespaces first, NetworkPolicies last). */
  readonly charts: readonly Chart[];
  /** What Prometheus scrapes besides itself, in registry order. */
  readonly scrapeTargets: readonly ScrapeTarget[];
}

export function buildStack(env: ResolvedEnvironment, scope: Construct = new App({ outdir: '.unused', recordConstructMetadata: false })): StackBuild {
  const cfg = env.config;
  const facts: StackFacts = { env, cfg, endpoints: buildEndpoints(cfg), labeler: new Labeler(env.name, cfg.common.labels) };
  const wires = new WireLog();
  const active = REGISTRY.filter((c) => c.enabled(cfg));
  const scrape = (to: Endpoint) => wires.connect('prometheus', to, 'scrape', `scrapes ${to.component} metrics`);
  const scrapeTargets = active.flatMap((c) => c.scrapeTargets?.(facts, scrape) ?? []);
  const charts: Chart[] = [];
  const ctx: BuildContext = { ...facts, scope, scrapeTargets, charts, wires, wire: (...w) => wires.connect(...w) };
  // Finished charts are read by the components after them (the NetworkPolicies): synthesized once each.
  withChartObjects(() => {
    for (const component of active) {
      if (component.build === undefined) continue;
      const chart = component.build(ctx);
      if (chart.node.id !== component.id) throw new Error(`internal: component ${component.id} built chart ${chart.node.id}`);
      const pods = component.pods?.(cfg);
      if (pods !== undefined) applyPodSettings(chart, pods);
      // The next two passes read the same objects before either changes one: each synthesized once.
      const json = new Map<ApiObject, unknown>();
      const objectJson = (o: ApiObject): unknown => (json.has(o) ? json.get(o) : json.set(o, o.toJson()).get(o));
      addDisruptionBudgets(chart, objectJson);
      addConfigChecksums(chart, objectJson);
      addSyncWaves(chart);
      applyAnnotations(chart, cfg.common.annotations);
      charts.push(chart);
    }
  });
  return { env, endpoints: facts.endpoints, wires: wires.wires, charts, scrapeTargets };
}
