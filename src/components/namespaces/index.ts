/** The stack's two namespaces (and an optional PriorityClass): first, so one `kubectl apply -f` works. */
import type { StackComponent } from '../component';
import { Namespaces } from './namespaces';

export const namespaces: StackComponent = {
  id: '00-namespaces',
  enabled: () => true,
  build: ({ scope, cfg, labeler }) => new Namespaces(scope, '00-namespaces', {
    namespace: cfg.common.namespace,
    agentNamespace: cfg.common.agentNamespace,
    labeler,
    priorityClass: cfg.common.priorityClass.create && cfg.common.priorityClassName !== undefined
      ? { ...cfg.common.priorityClass, name: cfg.common.priorityClassName }
      : undefined,
  }),
};

/** What the registry assembles from this folder. */
export const registration = { component: namespaces } as const;
