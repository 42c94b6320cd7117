import { dump } from 'js-yaml';
import { secretFindings } from '../support/security';
import { synthEverything } from '../support/environments';

/** Planted material, built at run time so this file itself holds no key-looking literal. */
const FAKE_KEY_BODY = Array.from({ length: 48 }, (_, i) => 'Ab3Xy9Qz7Kp2Lm5Nr8Tw1Vc4Hd6Jf0Gs'[(i * 7) % 32]).join('') + 'q/Z+';
const FAKE_HEX = Array.from({ length: 40 }, (_, i) => '0123456789abcdef'[(i * 5 + 3) % 16]).join('');
const PEM = ['-----BEGIN', 'PRIVATE KEY-----'].join(' ');

/**
 * The findings for the output with one planted file. secretFindings looks at each file on its own and the
 * first test shows the real files have none, so the planted file alone gives the same findings without
 * rescanning the whole output for every planted case.
 */
function withFile(path: string, content: string): Map<string, string> {
  return new Map([[path, content]]);
}

describe('no secret material in the output', () => {
  test('scans every synthesized file of every environment, including the maximal config', () => {
    const files = synthEverything().files;
    expect([...files.keys()].filter((p) => p.startsWith('maximal-prod/manifests/')).length).toBeGreaterThan(3);
    expect(secretFindings(files)).toEqual([]);
  });

  test('the output only references Secrets the user creates', () => {
    const text = [...synthEverything().files.values()].join('\n');
    expect(text).not.toMatch(/^kind: Secret$/m);
  });

  const planted: Array<[string, string, RegExp]> = [
    ['a Secret with data', dump({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'aGVsbG8=' } }), /Secret with data/],
    ['a Secret with stringData', dump({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } }), /Secret with data/],
    ['a password in a ConfigMap file', dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'grafana.ini': '[security]\nadmin_password = hunter2\n' } }), /literal value for "admin_password"/],
    ['a token key in a ConfigMap', dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { token: 'abc' } }), /key token holds a literal credential/],
    ['an API key in a YAML config', dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'c.yaml': 'remote_write:\n  - url: http://x\n    api_key: s3cr3t\n' } }), /literal value for "api_key"/],
    ['a literal env password', dump({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'GF_SECURITY_ADMIN_PASSWORD', value: 'admin' }] }] } } } }), /env GF_SECURITY_ADMIN_PASSWORD is a literal/],
    ['a PEM block', `data:\n  tls.key: |\n    ${PEM}\n`, /PEM block/],
    ['a base64 key', `key: ${FAKE_KEY_BODY}\n`, /base64 blob/],
    ['a hex key', `signing: ${FAKE_HEX}\n`, /hex blob/],
    ['basic auth in a URL', 'url: https://admin:hunter2@loki.example.com/loki/api/v1/push\n', /credentials in a URL/],
  ];

  test.each(planted)('finds %s planted in the output', (_what, content, finding) => {
    const findings = secretFindings(withFile('dev/manifests/planted.yaml', content));
    expect(findings.join('\n')).toMatch(finding);
  });

  test.each([
    ['a Secret reference in env', dump({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } } }] }] } } } })],
    ['a file reference', dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'c.yaml': 'bearer_token_file: /var/run/secrets/kubernetes.io/serviceaccount/token\npassword: ${GF_PASSWORD}\n' } })],
    ['a TLS Secret name', dump({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i' }, spec: { tls: [{ secretName: 'grafana-tls' }] } })],
    ['a config checksum', `metadata:\n  annotations:\n    checksum/config: ${FAKE_HEX}${FAKE_HEX.slice(0, 24)}\n`],
  ])('does not flag %s', (_what, content) => {
    expect(secretFindings(new Map([['dev/manifests/ok.yaml', content]]))).toEqual([]);
  });
});
