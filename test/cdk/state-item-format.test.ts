/**
 * The state item format is a deployment setting (ADR 0037's two-step upgrade): by default no function is
 * told one (they write the compressed body); with `stateItemFormat: plain` every function that has the lead
 * table is told to write plain items, so a rollback to a version before ADR 0037 still reads every lead; any
 * other value is refused at synth, naming the setting.
 */
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { readConfig } from '../../lib/config.ts';
import { synthesize } from './synth.ts';

const tableEnvs = (synth: ReturnType<typeof synthesize>) =>
  Object.values(synth.template.findResources('AWS::Lambda::Function'))
    .map((fn) => (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>)
    .filter((env) => ENV.tableName in env);

describe('stateItemFormat', () => {
  it.each([
    ['the default', {}, undefined],
    ['plain, while a deployment upgrades', { stateItemFormat: 'plain' }, 'plain'],
  ])(
    '%s: every function with the lead table is told it',
    (_, context, told) => {
      // Act
      const synth = synthesize({ bundle: false, context });
      // Assert
      const envs = tableEnvs(synth);
      expect(envs.length).toBeGreaterThan(8);
      for (const env of envs) expect(env[ENV.stateItemFormat]).toBe(told);
    },
    120_000,
  );

  it('refuses any other value, naming the setting', () => {
    // Act
    const read = () => readConfig((key) => (key === 'stateItemFormat' ? 'gzip' : undefined));
    // Assert
    expect(read).toThrow(/stateItemFormat: "body" or "plain", got "gzip"/);
  });
});
