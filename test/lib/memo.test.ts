import { inputKey, memoByInput } from '../../src/lib/memo';

describe('memoByInput', () => {
  test('renders once per distinct input, and each caller gets its own copy of the result', () => {
    let calls = 0;
    const render = memoByInput((input: { n: number }) => { calls++; return { [`f${input.n}`]: String(input.n) }; });
    const a = render({ n: 1 }) as Record<string, string>;
    delete a.f1;
    expect(render({ n: 1 })).toEqual({ f1: '1' });
    expect(render({ n: 2 })).toEqual({ f2: '2' });
    expect(calls).toBe(2);
  });

  test('Sets and Maps are told apart by their content, undefined from a missing field', () => {
    const render = memoByInput((input: { s: Set<string>; m?: Map<string, number>; u?: undefined }) => ({ out: JSON.stringify([[...input.s], [...(input.m ?? [])], 'u' in input]) }));
    expect(render({ s: new Set(['a']) }).out).toBe('[["a"],[],false]');
    expect(render({ s: new Set(['b']) }).out).toBe('[["b"],[],false]');
    expect(render({ s: new Set(['b']), m: new Map([['x', 1]]) }).out).toBe('[["b"],[["x",1]],false]');
    expect(render({ s: new Set(['b']), u: undefined }).out).toBe('[["b"],[],true]');
  });

  test('keeps only the newest inputs', () => {
    let calls = 0;
    const render = memoByInput((n: number) => { calls++; return { n: String(n) }; }, 2);
    for (const n of [1, 2, 3, 1]) render(n);
    expect(calls).toBe(4);
  });

  test('an input that is not plain data is rendered every time', () => {
    class Box { constructor(readonly v: number) {} }
    expect(inputKey({ b: new Box(1) })).toBeUndefined();
    expect(inputKey({ f: () => 1 })).toBeUndefined();
    let calls = 0;
    const render = memoByInput((input: { b: Box }) => { calls++; return { v: String(input.b.v) }; });
    expect(render({ b: new Box(1) }).v).toBe('1');
    expect(render({ b: new Box(2) }).v).toBe('2');
    expect(calls).toBe(2);
  });
});
