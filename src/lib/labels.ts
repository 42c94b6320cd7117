/**
 * Kubernetes recommended labels (`app.kubernetes.io/*`) and the one label every signal shares.
 * Selectors use `name` and `instance` only: `version` changes on upgrade and selectors are immutable.
 */

/** The project name in `app.kubernetes.io/part-of` and `managed-by`-adjacent places. */
export const PART_OF = 'obs-stack';
export const MANAGED_BY = 'cdk8s';

/**
 * The label that names a service on every signal: scraped series (from the pod label below), agent-shipped
 * log streams, and span metrics (`service.name` becomes `service`). Dashboards and
 * correlations filter on it, so it is defined here once.
 */
export const SERVICE_LABEL = 'service';

/**
 * Pod labels the service label is taken from, first match wins. `app.kubernetes.io/name` is what every
 * obs-stack pod and the example services carry; `app` is the common older convention.
 */
export const SERVICE_SOURCE_POD_LABELS: readonly string[] = ['app.kubernetes.io/name', 'app'];

/** The Kubernetes metadata labels every signal carries (metrics, logs and traces use the same names). */
export const K8S_SIGNAL_LABELS = { namespace: 'namespace', pod: 'pod', container: 'container', node: 'node' } as const;

/** The cluster external label, on every metric (and every log stream). */
export const CLUSTER_LABEL = 'cluster';

export interface ComponentIdentity {
  /** `app.kubernetes.io/name`, e.g. `prometheus`. */
  readonly name: string;
  /** `app.kubernetes.io/component`, e.g. `metrics-store`. */
  readonly component: string;
  /** `app.kubernetes.io/version`: the image tag. */
  readonly version: string;
}

/** Builds labels for one environment's objects. */
export class Labeler {
  constructor(
    /** `app.kubernetes.io/instance`: the environment's name. */
    readonly instance: string,
    /** `common.labels` from the config: added to metadata, never to selectors. */
    readonly extra: Readonly<Record<string, string>>,
  ) {}

  /** Immutable selector labels for a component's pods. */
  selector(name: string): Record<string, string> {
    return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': this.instance };
  }

  /** Full metadata labels for a component's objects and pod templates. */
  labels(id: ComponentIdentity): Record<string, string> {
    return {
      ...this.extra,
      ...this.selector(id.name),
      'app.kubernetes.io/component': id.component,
      'app.kubernetes.io/part-of': PART_OF,
      'app.kubernetes.io/version': sanitizeLabelValue(id.version),
      'app.kubernetes.io/managed-by': MANAGED_BY,
    };
  }

  /** Labels for objects that belong to the stack as a whole (namespaces). */
  stackLabels(): Record<string, string> {
    return {
      ...this.extra,
      'app.kubernetes.io/instance': this.instance,
      'app.kubernetes.io/part-of': PART_OF,
      'app.kubernetes.io/managed-by': MANAGED_BY,
    };
  }
}

/** Makes an image tag usable as a label value (label values allow `[A-Za-z0-9_.-]`, at most 63). */
export function sanitizeLabelValue(v: string): string {
  return v.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

/** The Prometheus meta label Kubernetes SD gives a pod label (`app.kubernetes.io/name` → `..._app_kubernetes_io_name`). */
export function podLabelMeta(podLabel: string): string {
  return `__meta_kubernetes_pod_label_${podLabel.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}
