/**
 * The CDK app (cdk.json: "npx tsx bin/leadpact.ts"): one LeadPact stack from the context settings,
 * with cdk-nag's AwsSolutions checks. An invalid setting or SLA file stops synth with the reason
 * (for the SLA, the same lines `leadpact sla validate` prints) and exit code 1, without a stack trace.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, readConfig } from '../lib/config.ts';
import { LeadPactStack } from '../lib/leadpact-stack.ts';

export function buildApp(app: App = new App()): { app: App; stack: LeadPactStack } {
  const given = Object.keys(app.node.getAllContext() as Record<string, unknown>);
  const config = readConfig((key) => app.node.tryGetContext(key), undefined, given);
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'LeadPact';
  const account = process.env.CDK_DEFAULT_ACCOUNT;
  const region = process.env.CDK_DEFAULT_REGION;
  const stack = new LeadPactStack(app, stackName, {
    config,
    ...(account && region ? { env: { account, region } } : {}),
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) {
  try {
    buildApp().app.synth();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
}
