/**
 * A string as it appears in obs-stack's messages: in double quotes, with control, zero-width and
 * bidirectional-override characters escaped, so a value can never rewrite the terminal or hide itself.
 */
export function quote(value: string): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
