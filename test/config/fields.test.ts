import { cidrProblem, escapeInvisible, httpUrlProblem, re2Problem, showValue } from '../../src/config/fields';
import { GO_DURATION_MAX_NS, parseDurationNs, parseGoDurationNs, parseQuantityExact } from '../../src/config/units';

describe('showValue: the value as given', () => {
  test.each([
    [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [null, 'null'], [undefined, 'undefined'], ['1', '"1"'], [1, '1'],
    [1e21, '1e+21'], [-0, '-0'], [10n, '10n'], [[NaN, null], '[NaN,null]'], [{ a: Infinity }, '{"a":Infinity}'],
    ['a\u200bb\u202ec\r\n', '"a\\u200bb\\u202ec\\r\\n"'], ['\u{e0041}', '"\\u{e0041}"'], [new Date(0), 'Date {}'],
  ])('%p is shown as %s', (value, shown) => {
    expect(showValue(value)).toBe(shown);
  });

  test('a cycle and a very long value stay readable', () => {
    const c: Record<string, unknown> = { a: 1 };
    c.self = c;
    expect(showValue(c)).toBe('{"a":1,"self":[circular]}');
    expect(showValue('x'.repeat(1000))).toHaveLength(301);
  });

  test('escapes invisible characters but keeps visible ones', () => {
    expect(escapeInvisible('grüße\u00a0\ufeff\u2028')).toBe('grüße\\u00a0\\ufeff\\u2028');
  });
});

describe('durations: Go\'s range (int64 nanoseconds)', () => {
  test('Prometheus-style: exact at the edge, zero spelled two ways', () => {
    expect(parseDurationNs('292y')).toBeLessThan(GO_DURATION_MAX_NS);
    expect(parseDurationNs('293y')! > GO_DURATION_MAX_NS).toBe(true);
    expect(parseDurationNs('0')).toBe(0n);
    expect(parseDurationNs('0s')).toBe(0n);
  });

  test('Go-style: 2562047h fits, 2562048h does not; fractions truncate like Go', () => {
    expect(parseGoDurationNs('2562047h')! <= GO_DURATION_MAX_NS).toBe(true);
    expect(parseGoDurationNs('2562048h')! > GO_DURATION_MAX_NS).toBe(true);
    expect(parseGoDurationNs('9223372036854775807ns')).toBe(GO_DURATION_MAX_NS);
    expect(parseGoDurationNs('1.5h')).toBe(5400n * 10n ** 9n);
    expect(parseGoDurationNs('14d')).toBeUndefined();
  });

  test('Go-style microseconds: us, the micro sign and the Greek mu, as Go\'s unit table spells them', () => {
    for (const us of ['us', '\u00b5s', '\u03bcs']) expect(parseGoDurationNs(`1ms500${us}`)).toBe(1_500_000n);
    expect(parseGoDurationNs('5xs')).toBeUndefined();
  });

  test('Go-style forms time.ParseDuration takes: digits on one side of the point, a sign, a bare 0', () => {
    expect(parseGoDurationNs('.5s')).toBe(500_000_000n);
    expect(parseGoDurationNs('1.s')).toBe(10n ** 9n);
    expect(parseGoDurationNs('1h.5m')).toBe(3630n * 10n ** 9n);
    expect(parseGoDurationNs('+5s')).toBe(5n * 10n ** 9n);
    expect(parseGoDurationNs('-1m30s')).toBe(-90n * 10n ** 9n);
    expect(parseGoDurationNs('0')).toBe(0n);
    expect(parseGoDurationNs('-0')).toBe(0n);
    for (const bad of ['.s', '.', 's', '+', '-', '1..5s', '1.5.5s', '00', '0x', ' 5s', '5s ', '--5s', '1']) expect([bad, parseGoDurationNs(bad)]).toEqual([bad, undefined]);
  });
});

describe('quantities, exactly', () => {
  test('as a fraction of base units', () => {
    expect(parseQuantityExact('500m')).toEqual({ numerator: 500n, denominator: 1000n });
    expect(parseQuantityExact('1.5Gi')).toEqual({ numerator: 15n * 2n ** 30n, denominator: 10n });
    expect(parseQuantityExact('2k')).toEqual({ numerator: 2000n, denominator: 1n });
    expect(parseQuantityExact('1e3')).toBeUndefined();
  });
});

describe('CIDRs', () => {
  test.each(['10.0.0.0/8', '0.0.0.0/0', '172.18.0.2/32', 'fd00::/8', '::/0', '2001:db8::1/128', '::ffff:10.0.0.0/104', '1:2:3:4:5:6:7:8/64', '1::8/64'])('accepts %s', (c) => {
    expect(cidrProblem(c)).toBeUndefined();
  });
  test.each(['10.0.0.1', '10.0.0.0/33', '256.0.0.0/8', '01.0.0.0/8', '10.0.0/8', 'fd00::/129', '1::2::3/64', '1:2:3:4:5:6:7:8:9/64', 'fe80::1%eth0/64', '12345::/16', '10.0.0.0/08', ' 10.0.0.0/8'])('refuses %s', (c) => {
    expect(cidrProblem(c)).toBeDefined();
  });
});

describe('URLs', () => {
  const example = 'https://m.example.com/push';
  test.each(['https://m.example.com/api/v1/push', 'http://thanos.thanos.svc:19291/api/v1/receive', 'https://m.example.com/push?tenant=a'])('accepts %s', (u) => {
    expect(httpUrlProblem(u, example, { path: true })).toBeUndefined();
  });
  test.each([
    ['https://u:p@m.example.com/push', 'credentials'], ['https://token@m.example.com/push', 'credentials'], ['https://m.example.com/push?api_key=x', 'credential in the query'],
    ['https://m.example.com/push?X-Amz-Signature=x', 'credential in the query'], ['https://m.example.com:0/push', 'port'], ['https://m.example.com:65536/push', 'port'],
    ['https://m.example.com/a b', 'whitespace'], ['https://m.example.com/\u200b', 'invisible'], ['ftp://m.example.com', 'not an http(s) URL'], ['https://m.example.com/#x', 'fragment'],
    ['https://[2001:db8::1]:8443/push', 'IPv6'],
  ])('refuses %s (%s)', (u, why) => {
    expect(httpUrlProblem(u, example, { path: true })?.[0]).toContain(why);
  });
});

describe('relabel regexes compile as Prometheus compiles them (RE2, anchored)', () => {
  test.each(['go_.*', 'up|traces_.*', '(?i)abc', '[[:alpha:]]+', '\\pL+', '(?P<name>x)', 'a{1000}'])('accepts %s', (r) => {
    expect(re2Problem(r)).toBeUndefined();
  });
  test.each(['(go', '(?=x)', '(?!x)', '(?<=x)', '(a)\\1', 'a{1001}', 'a\\C', 'x**', '[z-a]'])('refuses %s', (r) => {
    expect(re2Problem(r)).toMatch(/error parsing regexp/);
  });
});
