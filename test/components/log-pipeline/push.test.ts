import type { BuildContext, StackComponent } from '../../../src/components/component';
import { logAgentEnabled, wiredLogPipeline } from '../../../src/components/log-pipeline';
import { helmLogPipeline } from '../../../src/components/log-pipeline/helm-values';
import { alloy } from '../../../src/components/alloy';
import { renderAlloyConfig } from '../../../src/components/alloy/alloy-config';
import { buildEndpoints } from '../../../src/components/registry';
import { resolveEnvironment } from '../../../src/config/resolve';
import { endpoint } from '../../../src/lib/endpoints';
import type { Receiver } from '../../../src/lib/receivers';
import { WireLog } from '../../../src/lib/wiring';

// The agents find their store through the registry: here it holds only a stand-in log store, with Loki disabled.
let mockComponents: StackComponent<string>[] = [];
jest.mock('../../../src/lib/registered-components', () => ({
  ...jest.requireActual('../../../src/lib/registered-components'),
  registeredComponents: () => mockComponents,
}));

const INGEST = endpoint('loki', 'logs', 'ingest', 9000, 'http', 'logstore');
const storeWith = (receiver: Partial<Receiver>): StackComponent<string> => ({
  id: 'logstore',
  enabled: () => true,
  receivers: () => ({ 'logs-push': { endpoint: INGEST, target: (w) => `${w.url}/ingest`, name: 'stand-in push', note: 'Logs to the stand-in.', ...receiver } }),
});
const cfg = resolveEnvironment({ name: 'x', profile: 'dev', overrides: { loki: { enabled: false }, logAgent: 'alloy' } }).config;

describe('the log agents push to whichever component receives logs-push', () => {
  afterEach(() => { mockComponents = []; });

  test('deployed while a component receives logs-push, whatever the log store\'s own section says', () => {
    expect(logAgentEnabled(cfg, 'alloy')).toBe(false);
    mockComponents = [storeWith({})];
    expect(logAgentEnabled(cfg, 'alloy')).toBe(true);
    expect(logAgentEnabled(cfg, 'promtail')).toBe(false);
  });

  test('both paths take the receiver\'s URL on the wired endpoint and its tenant header as tenant_id', () => {
    // The agent itself is in the registry too; it declares no receivers, so finding the receiver does not ask it whether it is enabled.
    mockComponents = [storeWith({ headers: { 'X-Scope-OrgID': 'team-a' } }), alloy];
    const wires = new WireLog();
    const pipeline = helmLogPipeline({ cfg, endpoints: buildEndpoints(cfg), wires });
    expect(pipeline).toMatchObject({ pushUrl: 'http://logstore.logs.svc:9000/ingest', tenant: 'team-a' });
    expect(wires.wires).toEqual([{ from: 'alloy', to: INGEST, kind: 'push', purpose: 'pushes container logs' }]);
    expect(renderAlloyConfig({ pipeline })).toMatch(/tenant_id += "team-a"/);
    const built = new WireLog();
    const wire: BuildContext['wire'] = (from, to, kind, purpose) => built.connect(from, to, kind, purpose);
    expect(wiredLogPipeline({ cfg, endpoints: buildEndpoints(cfg), wire } as BuildContext)).toEqual(pipeline);
    expect(built.wires).toEqual(wires.wires);
  });

  test('a receiver without a tenant header leaves tenant_id out; one asking for another header is refused', () => {
    mockComponents = [storeWith({})];
    expect(helmLogPipeline({ cfg, endpoints: buildEndpoints(cfg) }).tenant).toBe('');
    mockComponents = [storeWith({ headers: { Authorization: 'Bearer x' } })];
    expect(() => helmLogPipeline({ cfg, endpoints: buildEndpoints(cfg) })).toThrow('the logs-push receiver asks for header Authorization, but the log agents send only X-Scope-OrgID');
  });
});
