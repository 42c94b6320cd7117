/**
 * What the Helm path runs differently from the manifests, per environment, as measured: `npm run
 * helm:differences` renders every environment's releases with the real helm binary and the pinned charts,
 * compares each workload's pod facts with its manifests twin (test/support/helm-differences.ts), and writes
 * the result to `differences.json` beside this file. Synth reads that file into each environment's Helm
 * README; a test renders again and fails when the file is not what the charts produce today.
 *
 * Every difference must have a reason in `CHART_LIMITS` (what the chart cannot express); a difference
 * without one is a regression the test reports.
 */
import type { ChartKey } from './charts';
import measured from './differences.json';

/** One pod fact that differs between a manifests workload and the rendered release's workload. */
export interface HelmDifference {
  /** The chart whose template renders the workload: the release's chart, or its subchart (`kube-state-metrics`, `prometheus-node-exporter`). */
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

export const MEASURED_DIFFERENCES: MeasuredDifferences = measured;

/** Why a chart cannot follow the manifests on one pod fact. */
export interface ChartLimit {
  /** `HelmDifference.chart`: a chart key, or a subchart's name. */
  readonly chart: ChartKey | 'kube-state-metrics' | 'prometheus-node-exporter';
  /** `HelmDifference.fact`. */
  readonly fact: string;
  readonly reason: string;
}

/** What each chart cannot express, with the template that decides it (charts at the versions in charts.ts). */
export const CHART_LIMITS: readonly ChartLimit[] = [
  {
    chart: 'cadvisor', fact: 'pod securityContext',
    reason: 'The cadvisor chart writes no pod securityContext (templates/daemonset.yaml has no value for it): the pod runs as the image\'s root user, as in the manifests, but without the RuntimeDefault seccomp profile.',
  },
  {
    chart: 'cadvisor', fact: 'securityContext',
    reason: 'templates/daemonset.yaml writes only `privileged` into the container securityContext: capabilities are not dropped, the root filesystem stays writable and privilege escalation is not refused.',
  },
  { chart: 'cadvisor', fact: 'livenessProbe', reason: 'templates/daemonset.yaml has no probe values: the kubelet restarts cAdvisor only when it exits.' },
  { chart: 'cadvisor', fact: 'readinessProbe', reason: 'templates/daemonset.yaml has no probe values: the Service sends scrapes to a pod as soon as it runs.' },
  { chart: 'cadvisor', fact: 'env GOMEMLIMIT', reason: 'templates/daemonset.yaml takes no env, so the Go runtime has no soft memory limit.' },
  {
    chart: 'grafana', fact: 'env GOMEMLIMIT',
    reason: 'templates/_pod.tpl sets `GOMEMLIMIT` itself to the whole memory limit (a resourceFieldRef) whenever a limit is set; a second entry of the same name would be refused by server-side apply.',
  },
  {
    chart: 'grafana', fact: 'emptyDir volumes',
    reason: 'templates/_pod.tpl always mounts its `search` volume (Grafana\'s search index) as `emptyDir: {}`, and without persistence the data volume as well (only the in-memory variant takes a size).',
  },
  {
    chart: 'kube-state-metrics', fact: 'livenessProbe',
    reason: 'The kube-state-metrics subchart (charts/kube-state-metrics/templates/deployment.yaml) hard-codes the liveness path `/livez`, which asks the API server for its own `/livez`, so an unreachable API server restarts kube-state-metrics; the manifests probe `/healthz`, which answers while the process serves. The timings are the manifests\'.',
  },
  { chart: 'loki', fact: 'emptyDir volumes', reason: 'templates/_pod.tpl mounts /tmp as `emptyDir: {}`, with no value for its size.' },
  {
    chart: 'prometheus', fact: 'startupProbe',
    reason: 'templates/deploy.yaml hard-codes the startup probe\'s path to `/-/healthy`; the manifests wait for `/-/ready`. The timings are the manifests\'.',
  },
  {
    chart: 'tempo', fact: 'pod terminationGracePeriodSeconds',
    reason: 'templates/statefulset.yaml has no grace period value: Kubernetes\' 30 s instead of the manifests\' time to flush the WAL on shutdown.',
  },
  { chart: 'tempo', fact: 'startupProbe', reason: 'templates/statefulset.yaml has no startup probe value; the liveness probe waits instead (its line above).' },
  {
    chart: 'tempo', fact: 'livenessProbe',
    reason: 'Without a startup probe, liveness waits out the manifests\' whole start-up allowance (`initialDelaySeconds` = their startup probe\'s failureThreshold x period) so a long WAL replay is not killed half-way.',
  },
];

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
