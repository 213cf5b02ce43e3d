/**
 * Synthesizes the LeadPact app as `cdk synth` does (cdk.json context, cdk-nag aspects), for the CDK tests:
 * one synth per test file (call it in beforeAll). `bundle: false` skips esbuild, for tests that only
 * look at wiring; the main stack test bundles every function for real.
 */
import { App } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../bin/leadpact.ts';
import { cdkJsonContext } from '../../lib/config.ts';
import type { LeadPactStack } from '../../lib/leadpact-stack.ts';

export interface Synthesized {
  readonly stack: LeadPactStack;
  readonly template: Template;
  readonly annotations: Annotations;
  /** a token of the stack as it appears in the template ({ Ref }, { Fn::GetAtt }, ...) */
  resolve(value: unknown): unknown;
}

export function synthesize(
  options: { context?: Record<string, unknown>; bundle?: boolean } = {},
): Synthesized {
  const app = new App({
    context: {
      ...cdkJsonContext(),
      ...options.context,
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
    },
  });
  // assets are bundled as the functions are constructed
  const { stack } = quietly(() => buildApp(app));
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    annotations: Annotations.fromStack(stack),
    resolve: (value) => stack.resolve(value),
  };
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every statement of every policy attached to a role (by the role's logical id). */
export function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies).flatMap((policy) => {
    const roles = (policy.Properties.Roles ?? []) as { Ref?: string }[];
    if (!roles.some((role) => role.Ref === roleLogicalId)) return [];
    return policy.Properties.PolicyDocument.Statement as Statement[];
  });
}

export const actionsOf = (statement: Statement): string[] =>
  (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).slice().sort();

export const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** Runs `work` without CDK's "Bundling asset ..." progress lines on stderr (everything else passes). */
function quietly<T>(work: () => T): T {
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) =>
    String(chunk).startsWith('Bundling asset ')
      ? true
      : (write as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest)) as typeof write;
  try {
    return work();
  } finally {
    process.stderr.write = write;
  }
}
