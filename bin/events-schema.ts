/**
 * `npm run events:schema`: writes docs/events/<type>.schema.json, one JSON Schema per event type, from
 * lambdas/domain/event-schemas.ts (a test keeps the files equal to it).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventSchemas } from '../lambdas/domain/event-schemas.ts';

export const EVENTS_SCHEMA_DIR = 'docs/events';

export function schemaFiles(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(eventSchemas()).map(([type, schema]) => [
      `${type}.schema.json`,
      `${JSON.stringify(schema, null, 2)}\n`,
    ]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(EVENTS_SCHEMA_DIR, { recursive: true });
  for (const [file, text] of Object.entries(schemaFiles()))
    writeFileSync(join(EVENTS_SCHEMA_DIR, file), text);
  console.log(`wrote ${Object.keys(schemaFiles()).length} schemas to ${EVENTS_SCHEMA_DIR}/`);
}
