/** A text table (email, page, console words) as its leaves, for tests that compare languages key by key. */
export type TextTree = { readonly [key: string]: unknown };

/** Each leaf of a table: its path and its value (a text, or a function). */
export function leaves(tree: TextTree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object')
      for (const [p, v] of leaves(value as TextTree, path)) out.set(p, v);
    else out.set(path, value);
  }
  return out;
}
