/**
 * String order for everything obs-stack writes: by UTF-16 code units, as `Array.prototype.sort()` without a
 * comparator does. Unlike `localeCompare` or `Intl.Collator`, it gives the same order under every
 * LANG/LC_ALL (Danish sorts "aa" after "z", for one).
 */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
