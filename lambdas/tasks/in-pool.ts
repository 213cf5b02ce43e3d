/** A task's fan-out over leads: `work` on each item, `size` at a time (default 8); the results in the items' order. */
export async function inPool<T, R>(
  items: readonly T[],
  work: (item: T) => Promise<R>,
  size = 8,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
  return out;
}
