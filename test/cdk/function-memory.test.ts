/**
 * The simulator prices Lambda compute with the memory of each function a lead runs on
 * (local/aws-prices.ts FUNCTION_MEMORY_MB: runtime code cannot synthesize lib/). This checks those figures
 * against the stack as synthesized, so a memory change in lib/ fails here until the table follows.
 */
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_MEMORY_MB } from '../../local/aws-prices.ts';
import { type Synthesized, synthesize } from './synth.ts';

describe("the simulator's function memory table", () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize({ bundle: false });
  }, 120_000);

  it.each(Object.entries(FUNCTION_MEMORY_MB))('%s has %i MB as deployed', (name, megabytes) => {
    // Act
    const fn = synthesized.stack.functions()[name];

    // Assert
    expect(fn, `no function ${name} in the stack`).toBeDefined();
    expect((fn!.function.node.defaultChild as CfnFunction).memorySize).toBe(megabytes);
  });
});
