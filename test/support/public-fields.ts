/**
 * The README's table of public configuration fields, derived from the schema: every top-level section of
 * `StackConfig` and the fields directly under it, in schema order. `test/readme.test.ts` holds the README's
 * table to this, so a field added, renamed or removed shows up there.
 */
import type { z } from 'zod';
import { stackConfigSchema } from '../../src/config/schema';

/** The schema under readonly, optional and pipe wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } };
  for (;;) {
    const d = s._zod.def;
    if (['readonly', 'optional', 'default', 'nullable'].includes(d.type)) s = d.innerType as never;
    else if (d.type === 'pipe') s = d.in as never;
    else return s as unknown as z.ZodType;
  }
}

function fieldsOf(schema: z.ZodType): string[] | undefined {
  const s = unwrap(schema) as unknown as { _zod: { def: { type: string } }; shape?: Record<string, z.ZodType> };
  return s._zod.def.type === 'object' ? Object.keys(s.shape!) : undefined;
}

export const PUBLIC_FIELDS_START = '<!-- public config fields: generated from the schema, checked by test/readme.test.ts -->';
export const PUBLIC_FIELDS_END = '<!-- end of public config fields -->';

/** The Markdown table, between its markers. */
export function publicFieldsTable(): string {
  const root = unwrap(stackConfigSchema) as unknown as { shape: Record<string, z.ZodType> };
  const rows = Object.entries(root.shape)
    .map(([section, schema]) => {
      const fields = fieldsOf(schema);
      return `| \`${section}\` | ${fields === undefined ? '(a value of its own)' : fields.map((f) => `\`${f}\``).join(', ')} |`;
    });
  return [PUBLIC_FIELDS_START, '| section | fields |', '|---|---|', ...rows, PUBLIC_FIELDS_END].join('\n');
}
