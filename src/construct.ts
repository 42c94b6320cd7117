/**
 * `ObservabilityStack`: the whole stack as one construct for any cdk8s app. It resolves its configuration
 * (profile ⊕ overrides, validated: a bad field throws `StackConfigError` naming it) and adds one chart per
 * component under itself; `app.synth()` (or `cdk8s synth`) writes them as this repository's `dist/` holds them.
 */
import { Construct } from 'constructs';
import { resolveEnvironment } from './config/resolve';
import type { DashboardSource, ProfileName, ResolvedEnvironment, StackOverrides } from './config/types';
import { renderHelm, type HelmOutput } from './outputs/helm';
import { environmentReadme } from './outputs/summary';
import { buildStack, type StackBuild } from './stack';

export interface ObservabilityStackProps {
  /** The profile the configuration starts from: `dev`, `prod` or `large`. */
  readonly profile: ProfileName;
  /** Any StackConfig fields to change on top of the profile. @default - the profile as it is */
  readonly overrides?: StackOverrides;
  /**
   * The environment's name: `app.kubernetes.io/instance` on every object, and the folder name in outputs.
   * Lower-case letters, digits and dashes. @default - the construct's id
   */
  readonly environment?: string;
  /**
   * Dashboards of your own next to the stack's: Foundation SDK builders (`new DashboardBuilder('Payments').uid('payments')...`)
   * or built dashboards, each with a uid of its own. @default - none
   */
  readonly dashboards?: readonly DashboardSource[];
}

/** Environments the project's synth resolved already, with every environment checked together (see `resolvedProps`). */
const preResolved = new WeakMap<ObservabilityStackProps, ResolvedEnvironment>();

/**
 * Props for an environment resolved already, so the stack does not validate it a second time. Internal (not
 * part of the package's API): `synthesize` resolves every environment first, then builds each one.
 */
export function resolvedProps(env: ResolvedEnvironment, overrides: StackOverrides | undefined): ObservabilityStackProps {
  const props: ObservabilityStackProps = { profile: env.profile, overrides, environment: env.name, dashboards: env.dashboards };
  preResolved.set(props, env);
  return props;
}

export class ObservabilityStack extends Construct {
  /** The resolved, validated environment the charts were built from. */
  readonly env: ResolvedEnvironment;
  /** The built stack: charts, endpoints, wires and scrape targets. */
  readonly build: StackBuild;

  constructor(scope: Construct, id: string, props: ObservabilityStackProps) {
    super(scope, id);
    this.env = preResolved.get(props)
      ?? resolveEnvironment({ name: props.environment ?? id, profile: props.profile, overrides: props.overrides, dashboards: props.dashboards });
    this.build = buildStack(this.env, this);
  }

  /** Values files for the official Helm charts, a helmfile and a README (path → content). */
  helmValues(): HelmOutput {
    return renderHelm(this.build);
  }

  /** The environment's README: components, Secrets to create, how to reach the UIs, the wiring diagram. */
  readme(): string {
    return environmentReadme(this.build);
  }
}
