/**
 * The stack's two namespaces. Servers live in one labelled for the `restricted` Pod Security level;
 * the per-node agents (container metrics, the log agent), which must read host paths, live in their own,
 * labelled `privileged`, so nothing else gets that latitude.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import * as k8s from '../../../imports/k8s';
import type { PriorityClassSpec } from '../../config/types';
import type { Labeler } from '../../lib/labels';

export interface NamespacesProps {
  readonly namespace: string;
  readonly agentNamespace: string;
  readonly labeler: Labeler;
  /** A PriorityClass to create with the namespaces (cluster-scoped, and needed before any pod). @default - none */
  readonly priorityClass?: PriorityClassSpec & { readonly name: string };
}

function podSecurity(level: 'restricted' | 'baseline' | 'privileged'): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/audit': level,
  };
}

export class Namespaces extends Chart {
  constructor(scope: Construct, id: string, props: NamespacesProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const base = props.labeler.stackLabels();
    new k8s.KubeNamespace(this, 'Main', {
      metadata: { name: props.namespace, labels: { ...base, ...podSecurity('restricted') } },
    });
    new k8s.KubeNamespace(this, 'Agents', {
      metadata: { name: props.agentNamespace, labels: { ...base, ...podSecurity('privileged') } },
    });
    const pc = props.priorityClass;
    if (pc !== undefined) {
      new k8s.KubePriorityClass(this, 'PriorityClass', {
        metadata: { name: pc.name, labels: base },
        value: pc.value,
        preemptionPolicy: pc.preemptionPolicy,
        globalDefault: false,
        description: 'obs-stack: evicted after ordinary workloads, so the stack can show why a node ran out.',
      });
    }
  }
}
