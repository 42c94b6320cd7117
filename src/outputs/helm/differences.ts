/**
 * What the Helm path runs differently from the manifests, per environment, as measured: `npm run
 * helm:differences` renders every environment's releases with the real helm binary and the pinned charts,
 * compares each workload's pod facts with its manifests twin (test/support/helm-differences.ts), and writes
 * the result to `differences.json` beside this file. Synth reads that file into each environment's Helm
 * README; a test renders again and fails when the file is not what the charts produce today.
 *
 * Every difference must have a reason in `CHART_LIMITS` (what the chart cannot express, from each component's
 * `helmChartLimits`); a difference without one is a regression the test reports.
 */
import type { ChartLimit } from '../../components/component';
import { REGISTRY } from '../../components/registry';
import measured from './differences.json';

/** One pod fact that differs between a manifests workload and the rendered release's workload. */
export interface HelmDifference {
  /** The chart whose template renders the workload: the release's chart, or one of its subcharts. */
  readonly chart: string;
  /** `Kind namespace/name` in the manifests (`none` for a workload only the chart has). */
  readonly workload: string;
  /** `Kind namespace/name` as rendered (`none` when the chart has no such workload). */
  readonly helmWorkload: string;
  /** Container name in the manifests ('' for pod-level facts). */
  readonly container: string;
  readonly fact: string;
  /** The value as compact JSON with sorted keys, or `none`. */
  readonly manifests: string;
  readonly helm: string;
}

export interface MeasuredDifferences {
  /** Chart versions and Kubernetes version the measurement rendered. */
  readonly rendered: { readonly kubeVersion: string; readonly charts: Readonly<Record<string, string>> };
  readonly environments: Readonly<Record<string, readonly HelmDifference[]>>;
}

export type { ChartLimit };

export const MEASURED_DIFFERENCES: MeasuredDifferences = measured;

/** What each chart cannot express: the components' `helmChartLimits`, in registry order. */
export const CHART_LIMITS: readonly ChartLimit[] = REGISTRY.flatMap((c) => c.helmChartLimits ?? []);

/** The reason for a measured difference, or undefined when no chart limit explains it. */
export function limitFor(d: HelmDifference): ChartLimit | undefined {
  return CHART_LIMITS.find((l) => l.chart === d.chart && l.fact === d.fact);
}

/** The README section listing the measured differences of one environment, each with its reason. */
export function differencesSection(env: string, measuredDifferences: MeasuredDifferences = MEASURED_DIFFERENCES): string[] {
  const head = ['## Differences from the manifests', ''];
  const list = measuredDifferences.environments[env];
  if (list === undefined) {
    return [...head, 'Not measured for this environment: run `npm run helm:differences` (it renders the releases with helm and the pinned charts), then `npm run synth`.', ''];
  }
  const r = measuredDifferences.rendered;
  const intro = [
    `Measured, not written by hand: \`npm run helm:differences\` renders every release with helm at Kubernetes ${r.kubeVersion} and compares`,
    'each workload\'s pods with `../manifests/`: security contexts (uid, gid, fsGroup), probes, resources, writable, host and persistent volumes',
    'with their sizes, `GOMEMLIMIT` and `GOGC`, the grace period, the service-account token and the containers. A test renders again and',
    'fails when this list is out of date.',
    '',
  ];
  if (list.length === 0) return [...head, ...intro, 'Every compared pod fact matches the manifests.', ''];
  const out = [...head, ...intro, 'What differs, because the chart has no setting for the manifests\' value:', ''];
  const workloads = [...new Set(list.map((d) => `${d.workload}\u0000${d.helmWorkload}`))];
  for (const w of workloads) {
    const [workload, helmWorkload] = w.split('\u0000');
    out.push(`- ${workload === 'none' ? `${helmWorkload} (only on the Helm path)` : `${workload}${helmWorkload !== 'none' && helmWorkload !== workload ? ` (Helm: ${helmWorkload})` : ''}`}`);
    for (const d of list.filter((x) => x.workload === workload && x.helmWorkload === helmWorkload)) {
      const where = d.container === '' ? d.fact : `${d.container}: ${d.fact}`;
      const why = limitFor(d)?.reason ?? 'no reason recorded (a regression: the test fails)';
      out.push(`  - ${where}: manifests \`${d.manifests}\`, Helm \`${d.helm}\`. ${why}`);
    }
  }
  out.push('');
  return out;
}
