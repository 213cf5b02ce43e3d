/**
 * Lambda answers API Gateway with at most 6 MB (6,291,556 bytes): the handler's result as JSON, the body one
 * JSON string inside it, so a quote or backslash of a JSON body counts twice. Past it the invocation fails and
 * API Gateway answers 500. A route whose lists grow with a lead's age or the stack's size cuts them to a
 * budget measured as that envelope counts them, and says what it left out.
 */

/** The bytes `value` adds to the answer in API Gateway's envelope (JSON in a JSON string), with its comma. */
export function envelopeBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(JSON.stringify(value))) - 1;
}

/** The newest of `items` (oldest first) whose bytes together stay within `budget`, oldest first. */
export function newestWithin<T>(items: readonly T[], budget: number): T[] {
  let used = 0;
  let first = items.length;
  while (first > 0) {
    used += envelopeBytes(items[first - 1]);
    if (used > budget) break;
    first--;
  }
  return items.slice(first);
}

/** The first of `items` whose bytes together stay within `budget`. */
export function firstWithin<T>(items: readonly T[], budget: number): T[] {
  let used = 0;
  let end = 0;
  while (end < items.length) {
    used += envelopeBytes(items[end]);
    if (used > budget) break;
    end++;
  }
  return items.slice(0, end);
}
