/**
 * Remembers the results of a pure renderer by the JSON text of its input. Every environment of a synth
 * asks for the same dashboards and rule files (a handful of distinct inputs for any number of
 * environments), and the manifests and the Helm values ask twice per environment.
 */
export function memoByInput<I, O extends Readonly<Record<string, string>>>(render: (input: I) => O): (input: I) => O {
  const results = new Map<string, O>();
  return (input: I): O => {
    const key = JSON.stringify(input);
    let out = results.get(key);
    if (out === undefined) results.set(key, out = render(input));
    // A copy: a caller that adds or removes a file must not change what the next caller gets.
    return { ...out };
  };
}
