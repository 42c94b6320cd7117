/**
 * Small stand-ins for what Helm does with our values, so tests can check the result the chart sees
 * rather than the values file alone: the values merge over the chart's defaults, and the `toYaml | nindent`
 * pipeline templates use to splice lists into a manifest.
 */
import { dump } from 'js-yaml';

type Plain = unknown;

function isMap(v: Plain): v is Record<string, Plain> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Helm's values coalescing for a top-level chart: maps merge key by key, lists and scalars replace the
 * default, and a null deletes the default key.
 */
export function helmMerge(defaults: Plain, values: Plain): Plain {
  if (!isMap(defaults) || !isMap(values)) return values;
  const out: Record<string, Plain> = { ...defaults };
  for (const [k, v] of Object.entries(values)) {
    if (v === null) delete out[k];
    else out[k] = k in defaults ? helmMerge(defaults[k], v) : stripNulls(v);
  }
  return out;
}

/** A null under a key the defaults do not have leaves nothing behind either. */
function stripNulls(v: Plain): Plain {
  if (!isMap(v)) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, stripNulls(x)]));
}

/** Go template truthiness: nil, false, 0, "" and empty lists/maps are false. */
export function goTruthy(v: Plain): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** Helm's `toYaml` (trailing newline trimmed; nil is `null`, an empty list `[]`). */
export function helmToYaml(v: Plain): string {
  return dump(v === undefined ? null : v, { lineWidth: -1, noRefs: true }).replace(/\n+$/, '');
}

/** Sprig's `nindent n`: a newline, then every line indented by n spaces. */
export function nindent(n: number, text: string): string {
  const pad = ' '.repeat(n);
  return `\n${text.split('\n').map((l) => pad + l).join('\n')}`;
}
