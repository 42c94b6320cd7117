import type { EnvironmentDefinition } from '../../src/config/types';

/**
 * An environment whose namespaces order differently under locale-aware collation: in code-unit order
 * "aa-obs" comes before "b-agents", in Danish "aa" is "å" and sorts after "z". Its NetworkPolicies and
 * API-server rules are ordered by these names.
 */
export const LOCALE_SENSITIVE: EnvironmentDefinition = {
  name: 'locale',
  profile: 'dev',
  overrides: {
    common: { namespace: 'aa-obs', agentNamespace: 'b-agents' },
    argocd: { destinationServer: 'https://locale.k8s.example.com:6443' },
  },
};
