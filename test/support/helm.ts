/**
 * Test support for the Helm path: undo Helm's `tpl` escaping, and map the chart Services' addresses back
 * to the manifests' endpoints so a config embedded in the values compares with the manifests' one.
 */
import type { Endpoint } from '../../src/lib/endpoints';
import { type Endpoints, buildEndpoints } from '../../src/components/registry';
import { helmEndpoints } from '../../src/outputs/helm/services';
import type { StackBuild } from '../../src/stack';

/** What Helm's `tpl` makes of an escaped string (`passes` times). */
export function untpl(s: string, passes = 1): string {
  let out = s;
  for (let i = 0; i < passes; i++) out = out.split('{{ "{{" }}').join('{{');
  return out;
}

/** Every endpoint of the registry, Loki's simple-scalable group included, in a fixed order. */
function allEndpoints(eps: Endpoints): Endpoint[] {
  return Object.values(eps).flatMap((group) => Object.values(group as Record<string, Endpoint | Record<string, Endpoint>>)
    .flatMap((e) => ('url' in e ? [e as Endpoint] : Object.values(e as Record<string, Endpoint>))));
}

/**
 * Maps the chart Services' URLs, addresses and hosts back to the manifests' endpoints (URLs first, then
 * addresses, then bare hosts), so a Helm config can be compared with the manifests' one.
 */
export function normaliser(build: StackBuild): (text: string) => string {
  const cfg = build.env.config;
  const helm = allEndpoints(helmEndpoints(cfg));
  const base = allEndpoints(buildEndpoints(cfg));
  expect(helm.length).toBe(base.length);
  const pairs: Array<[string, string]> = [];
  for (const field of ['url', 'address', 'host'] as const) {
    helm.forEach((h, i) => { if (h[field] !== base[i][field]) pairs.push([h[field], base[i][field]]); });
  }
  return (text) => pairs.reduce((t, [from, to]) => t.split(from).join(to), text);
}
