import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DS } from '../../src/lib/dashboards';
import { stackDatasourceIdentities } from '../../src/lib/datasources';

const LIB = join(__dirname, '../../src/lib');

describe('DS: the datasources dashboards query, by role', () => {
  test.each(['metrics', 'logs', 'traces'] as const)('%s is the one identity its store declares for the role', (role) => {
    const declared = stackDatasourceIdentities().filter((i) => i.role === role);
    expect(declared).toHaveLength(1);
    expect(DS[role]).toEqual({ type: declared[0].type, uid: declared[0].uid });
  });
});

describe('src/lib', () => {
  test('loads no component module at run time, but the registry through registered-components.ts', () => {
    const offenders = readdirSync(LIB).filter((f) => f.endsWith('.ts')).flatMap((f) => {
      const source = readFileSync(join(LIB, f), 'utf8');
      const loads = [...source.matchAll(/^import (?!type )[^;]*? from '(\.\.\/components\/[^']+)';/gms), ...source.matchAll(/require\('(\.\.\/components\/[^']+)'\)/g)].map((m) => m[1]);
      return loads.filter((m) => !(f === 'registered-components.ts' && m === '../components/registry')).map((m) => `${f}: ${m}`);
    });
    expect(offenders).toEqual([]);
  });
});
