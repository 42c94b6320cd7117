/** Test support for the Grafana datasources: the collected set of one environment, links resolved. */
import { resolveEnvironment } from '../../src/config/resolve';
import type { ProfileName, StackOverrides } from '../../src/config/types';
import { buildEndpoints } from '../../src/components/registry';
import type { DatasourcesFile } from '../../src/components/grafana/datasources';
import { linkedDatasourceUids, type ResolvedDatasource, stackDatasources } from '../../src/lib/datasources';

/** The datasources the enabled components of a `profile` environment contribute, URLs from its endpoints. */
export function datasourcesOf(profile: ProfileName, overrides?: StackOverrides): ResolvedDatasource[] {
  const cfg = resolveEnvironment({ name: 't', profile, overrides }).config;
  return stackDatasources({ cfg, endpoints: buildEndpoints(cfg), connect: (to) => to });
}

/** The datasource with `uid`, or a failed test. */
export function datasource(all: readonly ResolvedDatasource[], uid: string): ResolvedDatasource {
  const d = all.find((x) => x.uid === uid);
  if (d === undefined) throw new Error(`no datasource ${uid} among ${all.map((x) => x.uid).join(', ')}`);
  return d;
}

/** Every datasource uid a link in a provisioning file points at. */
export function referencedDatasourceUids(file: DatasourcesFile): string[] {
  return file.datasources.flatMap((ds) => linkedDatasourceUids(ds.jsonData));
}
