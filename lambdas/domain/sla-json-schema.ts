import * as z from 'zod';
import { slaSchema } from './sla-schema.ts';

/** The SLA file's JSON Schema (what ops write, defaults optional), for editor autocompletion. */
export function slaJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(slaSchema, { io: 'input', unrepresentable: 'any' }),
    // top-level x- keys hold YAML anchors the file reuses with merge keys (sla-file.ts): any value
    patternProperties: { '^x-': {} },
    title: 'LeadPact SLA',
    description:
      'The sales and marketing service level agreement LeadPact executes. See docs/sla-reference.md.',
  };
}
