/**
 * Remembers the results of a pure renderer by its input. Every environment of a synth asks for the same
 * dashboards and rule files (a handful of distinct inputs for any number of environments), and the
 * manifests and the Helm values ask twice per environment. The newest `keep` distinct inputs are
 * remembered, so a long run over many configs (the property tests) stays small.
 */
export function memoByInput<I, O extends Readonly<Record<string, string>>>(render: (input: I) => O, keep = 16): (input: I) => O {
  const results = new Map<string, O>();
  return (input: I): O => {
    const key = inputKey(input);
    if (key === undefined) return render(input);
    let out = results.get(key);
    if (out === undefined) {
      out = render(input);
      if (results.size >= keep) results.delete(results.keys().next().value!);
      results.set(key, out);
    }
    // A copy: a caller that adds or removes a file must not change what the next caller gets.
    return { ...out };
  };
}

/**
 * A text that differs whenever two inputs could render differently: plain data, with Sets and Maps in
 * their iteration order. Undefined for anything else (a function, a class instance): not remembered.
 */
export function inputKey(value: unknown): string | undefined {
  const plain = (v: unknown): unknown => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : { number: String(v) };
    if (v === undefined) return { undefined: true };
    if (Array.isArray(v)) return v.map(plain);
    if (v instanceof Set) return { set: [...v].map(plain) };
    if (v instanceof Map) return { map: [...v].map(([k, x]) => [plain(k), plain(x)]) };
    if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return { object: Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plain(x)]) };
    }
    throw new NotPlain();
  };
  try {
    return JSON.stringify(plain(value));
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}

class NotPlain extends Error {}
