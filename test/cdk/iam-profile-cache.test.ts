/**
 * `leadpact dev` enforces each function's IAM policy from the synthesized template, cached by a hash of the
 * template's inputs (bin/commands/iam-profile.ts). An input left out of the hash leaves a stale policy in the
 * cache: an index added in lambdas/adapters/table-definition.ts (which lib/ grants Query on) was denied locally
 * until the cache was deleted. Every file the CDK app imports must be one the hash reads.
 */
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { TEMPLATE_SOURCES } from '../../bin/commands/iam-profile.ts';

describe('the IAM profile cache key', () => {
  it('covers every file of ours the CDK app imports', async () => {
    // Arrange: the app's import graph, packages left out
    const { metafile } = await build({
      entryPoints: ['bin/leadpact.ts'],
      bundle: true,
      write: false,
      metafile: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
    });

    // Act
    const inputs = Object.keys(metafile.inputs);
    const uncovered = inputs.filter(
      (file) => !TEMPLATE_SOURCES.some((source) => file === source || file.startsWith(`${source}/`)),
    );

    // Assert
    expect(inputs).toContain('lambdas/adapters/table-definition.ts');
    expect(uncovered).toEqual([]);
  });
});
