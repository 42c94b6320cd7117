/**
 * YAML rendering with one set of options everywhere, so output is byte-for-byte stable: keys in
 * insertion order (renderers build objects in a fixed order), no line folding, no anchors.
 */
import { dump } from 'js-yaml';

export function toYaml(value: unknown): string {
  return dump(value, { lineWidth: -1, noRefs: true });
}

/** Several documents in one YAML stream. */
export function toYamlStream(values: readonly unknown[]): string {
  return values.map((v) => `---\n${toYaml(v)}`).join('');
}
