/**
 * Reads an SLA from YAML text: syntax, types and references, every problem reported at
 * once with its YAML path and line:column. Pure: the caller reads the file.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type * as z from 'zod';
import { checkReferences, type SlaIssue } from './sla-references.ts';
import { type Sla, slaSchema } from './sla-schema.ts';

export interface SlaError {
  /** dotted path, e.g. routing.reps[2].manager ("" for the whole file) */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export type SlaParseResult = { ok: true; sla: Sla } | { ok: false; errors: SlaError[] };

/**
 * The file without its top-level `x-` keys: a place for YAML anchors the file reuses with merge keys (`x-berlin:
 * &berlin { timeZone: Europe/Berlin }`, then `- { <<: *berlin, id: jonas, ... }`), as Docker Compose allows.
 */
function withoutExtensions(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('x-')));
}

export function parseSla(text: string): SlaParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (offset: number) => lineCounter.linePos(offset);

  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const { line, col } = at(error.pos[0]);
        return { path: '', line, column: col, message: `YAML: ${firstLine(error.message)}` };
      }),
    };
  }
  const located = (issue: SlaIssue, key?: string): SlaError => {
    const path = key === undefined ? issue.path : [...issue.path, key];
    const offset = offsetOf(doc.contents, path, key !== undefined);
    const { line, col } = at(offset);
    return { path: formatPath(path), line, column: col, message: issue.message };
  };

  let data: unknown;
  try {
    // maxAliasCount bounds "billion laughs" alias expansion
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (error) {
    return {
      ok: false,
      errors: [
        { path: '', line: 1, column: 1, message: `YAML: ${firstLine(String((error as Error).message))}` },
      ],
    };
  }
  const parsed = slaSchema.safeParse(withoutExtensions(data));
  if (!parsed.success) {
    return {
      ok: false,
      errors: sortErrors(parsed.error.issues.flatMap((issue) => fromZodIssue(issue, located, data))),
    };
  }
  const references = checkReferences(parsed.data);
  if (references.length > 0)
    return { ok: false, errors: sortErrors(references.map((issue) => located(issue))) };
  return { ok: true, sla: parsed.data };
}

function fromZodIssue(
  issue: z.core.$ZodIssue,
  located: (issue: SlaIssue, key?: string) => SlaError,
  data: unknown,
): SlaError[] {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => located({ path, message: `unknown key "${key}"` }, key));
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    return [located({ path, message: issue.message })];
  }
  return [located({ path, message: humanMessage(issue, valueAt(data, path)) })];
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let value = data;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}

function humanMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type') {
    if (value === undefined) return `required: ${issue.expected}`;
    const given = value === null ? 'nothing (null)' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    return `expected ${issue.expected}, got ${given}${typeof value === 'number' ? ` (${value}; quote it to make it text)` : ''}`;
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return issue.message;
}

/** Where a path points in the YAML: the deepest node that exists (the key itself when `atKey`). */
function offsetOf(root: unknown, path: readonly (string | number)[], atKey: boolean): number {
  let node: unknown = root;
  let offset = rangeStart(root);
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part),
      );
      if (!pair) break;
      const lastKey = atKey && i === path.length - 1;
      offset = rangeStart(lastKey ? pair.key : (pair.value ?? pair.key), offset);
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      node = node.items[part];
      offset = rangeStart(node, offset);
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown, fallback = 0): number {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : fallback;
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part),
    '',
  );
}

function sortErrors(errors: SlaError[]): SlaError[] {
  return errors.sort((a, b) => a.line - b.line || a.column - b.column);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
