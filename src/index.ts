/**
 * obs-stack's public API. Everything exported here is supported; other modules are internal and may change.
 *
 *   const app = new App();
 *   new ObservabilityStack(app, 'obs', { profile: 'prod', overrides: { common: { clusterName: 'eu-1' } } });
 *   app.synth();
 */
export { ObservabilityStack, type ObservabilityStackProps } from './construct';
export * from './config/types';
export { BASE, PROFILES } from './config/defaults';
export { resolveEnvironment, resolveEnvironments } from './config/resolve';
export { StackConfigError, type ConfigIssue } from './config/validate';
export { buildStack, type StackBuild } from './stack';
export { synthesize, type SynthResult, type SynthesizeOptions } from './outputs/synthesize';
export { renderHelm, type HelmOutput } from './outputs/helm';
export { renderArgoCd } from './outputs/gitops';
export { environmentReadme } from './outputs/summary';
export { planUpgrade, formatPlan, type UpgradePlan } from './outputs/upgrade';
export { run } from './main';
export { REGISTRY } from './components/registry';
export type { StackComponent, BuildContext, StackFacts, NetworkPolicyNeeds, Registration } from './components/component';
export type { ComponentReceivers, ComponentSends, Receiver, ReceiverKind, ReceiverTargets } from './lib/receivers';
export type { SeriesBudget } from './lib/series-budget';
