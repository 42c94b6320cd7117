/**
 * Configuration files carried in ConfigMaps, found by key and content rather than by object name, so a
 * renamed ConfigMap is still checked.
 */
import { load } from 'js-yaml';
import type { KubeObject } from './problem';


/** One parsed file: the ConfigMap, its data key, the parsed document (an object) and the raw text. */
export interface ConfigMapFile { readonly cm: KubeObject; readonly key: string; readonly doc: any; readonly text: string }

/**
 * Every ConfigMap data key matching `keyPattern` whose text `parse` (YAML by default) turns into an object;
 * keys that do not parse are skipped (other checks report them).
 */
export function configMapFiles(objects: readonly KubeObject[], keyPattern: RegExp, parse: (text: string) => unknown = load): ConfigMapFile[] {
  const out: ConfigMapFile[] = [];
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    for (const [key, text] of Object.entries(cm.data ?? {})) {
      if (!keyPattern.test(key) || typeof text !== 'string') continue;
      let doc: any;
      try { doc = parse(text); } catch { continue; }
      if (doc && typeof doc === 'object') out.push({ cm, key, doc, text });
    }
  }
  return out;
}

/** YAML data keys (`.yaml`, `.yml`). */
export const YAML_KEY = /\.ya?ml$/;
