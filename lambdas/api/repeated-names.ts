/**
 * The names a JSON text gives twice in one object, which JSON.parse hides (it keeps the last value, so
 * `{"email":"a@x.example","email":"b@x.example"}` read as b's lead with no trace of a's). One pass over the
 * text JSON.parse has accepted, no second parse but of the values of a repeated top-level name. Pure.
 */

export interface RepeatedNames {
  /** the first name given twice in one object, in the text's order, as a field path (`owner`, `fields.firstName`) */
  readonly first: string;
  /**
   * The top-level object's members in order, every value of a repeated name kept; present when a top-level
   * name repeats
   */
  readonly members?: readonly (readonly [string, unknown])[];
  /** where the first name repeated inside a nested object is (`fields[0].value`), if one is */
  readonly nested?: string;
}

interface Container {
  /** the names an object has given so far (undefined: an array) */
  readonly names?: Set<string>;
  readonly path: string;
  /** the member or element being read: its name, or its index in an array */
  member: string;
  index: number;
}

/** What `text` (valid JSON) repeats; undefined when no object in it names anything twice. */
export function repeatedNames(text: string): RepeatedNames | undefined {
  const open: Container[] = [];
  const topMembers: { name: string; start: number; end: number }[] = [];
  let topRepeats = false;
  let nested: string | undefined;
  let first: string | undefined;
  let expectingName = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const inner = open.at(-1);
    if (char === '"') {
      const end = stringEnd(text, i);
      if (expectingName && inner?.names) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (inner.names.has(name)) {
          first ??= memberPath(inner.path, name);
          if (open.length === 1) topRepeats = true;
          else nested ??= memberPath(inner.path, name);
        }
        inner.names.add(name);
        inner.member = name;
        if (open.length === 1) topMembers.push({ name, start: -1, end: -1 });
        expectingName = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      const path = inner ? memberPath(inner.path, inner.names ? inner.member : inner.index) : '';
      open.push({ ...(char === '{' ? { names: new Set<string>() } : {}), path, member: '', index: 0 });
      expectingName = char === '{';
    } else if (char === ':' && open.length === 1) {
      topMembers.at(-1)!.start = i + 1;
    } else if (char === ',' || char === '}' || char === ']') {
      if (open.length === 1 && inner?.names && topMembers.length > 0) topMembers.at(-1)!.end = i;
      if (char === ',') {
        if (inner?.names) expectingName = true;
        else if (inner) inner.index += 1;
      } else open.pop();
    }
  }
  if (first === undefined) return undefined;
  return {
    first,
    ...(topRepeats
      ? {
          members: topMembers.map(
            ({ name, start, end }) => [name, JSON.parse(text.slice(start, end)) as unknown] as const,
          ),
        }
      : {}),
    ...(nested !== undefined ? { nested } : {}),
  };
}

/** The index of the quote that closes the string opened at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i;
}

function memberPath(parent: string, member: string | number): string {
  if (typeof member === 'number') return `${parent}[${member}]`;
  return parent === '' ? member : `${parent}.${member}`;
}
