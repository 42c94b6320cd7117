/**
 * The dashboards and rule files of the stack, gathered from the registry: every component's
 * `dashboards`, `stackHealth` and `ruleGroups` (asked of each, deployed or not), and the user's extra rule
 * groups. Pure and deterministic; the same for the manifests and the Helm values.
 */
import type { StackConfig } from '../config/types';
import { joinRuleFiles, renderExtraRuleFile, renderRuleFiles, type RuleFile, type StackJob } from '../lib/rules';
import { type ComponentScrapeTarget, type ScrapeTarget, isClusterTarget } from '../lib/scrape';
import type { ContentFacts, StackComponent, StackContent } from './component';
import { REGISTRY } from './registry';

/**
 * The stack's scrape jobs: each enabled component's own job (`ownJob`), then every collected component
 * target, in registry order (cluster targets are not the stack's).
 */
export function stackJobs(cfg: StackConfig, targets: readonly ScrapeTarget[], registry: readonly StackComponent<string>[] = REGISTRY): StackJob[] {
  const components = targets.filter((t): t is ComponentScrapeTarget => !isClusterTarget(t));
  return [...registry.filter((c) => c.enabled(cfg)).flatMap((c) => c.ownJob ?? []), ...components.map(({ job, title }) => ({ job, title }))];
}

/** The stack's dashboards (file name -> JSON) for the jobs that are scraped. */
export function dashboardsFor(cfg: StackConfig, jobs: readonly StackJob[], registry: readonly StackComponent<string>[] = REGISTRY): Record<string, string> {
  const facts: ContentFacts = { cfg, jobs };
  const stackHealth = registry.flatMap((c) => c.stackHealth?.(facts) ?? []);
  return Object.assign({}, ...registry.map((c) => c.dashboards?.({ ...facts, stackHealth }) ?? {})) as Record<string, string>;
}

/** The stack's rule files as data (the user's extra groups not included). */
export function stackRuleFiles(cfg: StackConfig, jobs: readonly StackJob[], registry: readonly StackComponent<string>[] = REGISTRY): Record<string, RuleFile> {
  const facts: ContentFacts = { cfg, jobs };
  return joinRuleFiles(registry.flatMap((c) => c.ruleGroups?.(facts) ?? []));
}

/** The rule files (file name -> YAML): the stack's, then the user's extra groups. */
export function ruleFilesFor(cfg: StackConfig, jobs: readonly StackJob[], registry: readonly StackComponent<string>[] = REGISTRY): Record<string, string> {
  return { ...renderRuleFiles(stackRuleFiles(cfg, jobs, registry)), ...renderExtraRuleFile(cfg.alerts.extraRuleGroups) };
}

/** What an environment's charts and Helm values read: its dashboards and rule files, for the targets scraped. */
export function stackContent(cfg: StackConfig, scrapeTargets: readonly ScrapeTarget[]): StackContent {
  return { dashboards: () => dashboardsFor(cfg, stackJobs(cfg, scrapeTargets)), ruleFiles: () => ruleFilesFor(cfg, stackJobs(cfg, scrapeTargets)) };
}
