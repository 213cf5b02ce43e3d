/** One local runtime for the tests of the enclosing describe (vitest hooks: bench/ imports e2e.ts, not this). */
import { afterAll, beforeAll } from 'vitest';
import { type E2e, startE2e } from './e2e.ts';

export function useRuntime(options: Parameters<typeof startE2e>[0] = {}): () => E2e {
  let e2e: E2e | undefined;
  beforeAll(async () => {
    e2e = await startE2e(options);
  });
  afterAll(async () => {
    await e2e?.close();
  });
  return () => {
    if (!e2e) throw new Error('the runtime starts in beforeAll');
    return e2e;
  };
}
