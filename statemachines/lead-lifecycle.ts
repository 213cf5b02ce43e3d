/**
 * The lead workflow's ASL file and its `${Placeholder}` substitutions, shared by the CDK stack
 * (which deploys the file as is) and the local engine (which runs the same file).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LEAD_LIFECYCLE_ASL_PATH = fileURLToPath(new URL('./lead-lifecycle.asl.json', import.meta.url));

/** Every placeholder the definition uses; a test checks the file and this list agree. */
export const LEAD_LIFECYCLE_PLACEHOLDERS = [
  'AdvanceFunctionArn',
  'HandoffFunctionArn',
  'ParkFunctionArn',
  'RecordFailureFunctionArn',
] as const;
export type LeadLifecyclePlaceholder = (typeof LEAD_LIFECYCLE_PLACEHOLDERS)[number];

export function leadLifecycleAslText(): string {
  return readFileSync(LEAD_LIFECYCLE_ASL_PATH, 'utf8');
}

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]!))];
}

/** Substitutes every `${Name}`; a placeholder without a value is an error, not a silent blank. */
export function substitutePlaceholders(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(`no substitution for \${${name}} in the state machine definition`);
    return value;
  });
}
