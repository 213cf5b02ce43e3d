/**
 * The IAM side of a synthesized stack, as `leadpact dev` needs it: for every function, its role's
 * statements and its environment, resolved for the fake deployment of template-policy.ts with the local
 * names mapped in (the dynalite table, the local sender). Plain JSON, so `leadpact dev` can cache it and
 * load it without aws-cdk-lib (bin/commands/iam-profile.ts builds it from lib/; runtime code never
 * imports lib/).
 */
import { ENV } from '../../lambdas/aws/shared/env.ts';
import type { PolicyStatement } from './evaluate.ts';
import { type CfnTemplate, roleStatements, templateResolver } from './template-policy.ts';

export interface FunctionIam {
  /** the role's identity-policy statements, resolved */
  readonly statements: readonly PolicyStatement[];
  /** the function's environment variables, resolved (names, ARNs: which grants it was given) */
  readonly env: Readonly<Record<string, string>>;
}

export interface IamProfile {
  /** by the stack's readable function names: Api-<group>, Advance, Handoff, Park, RecordFailure, Reconciler, ... */
  readonly functions: Readonly<Record<string, FunctionIam>>;
  /** the lead workflow's state machine ARN (StartExecution, SendTask*, executions under it) */
  readonly stateMachineArn: string;
  /**
   * The SES identities the stack verifies (an address, or a domain), localized: SES authorizes a send against
   * the From address's identity if that is verified, else its domain's (IamRole.sesIdentities). Absent in a
   * profile cached before it existed (then the address's identity, as before).
   */
  readonly sesIdentities?: readonly string[];
  /**
   * The state machine's own role: its statements, and the function ARN each ASL placeholder is
   * substituted with (AdvanceFunctionArn, ...): what the engine asks before it invokes a task.
   * Absent in a profile cached before it existed (then the role is not enforced).
   */
  readonly stateMachine?: {
    readonly statements: readonly PolicyStatement[];
    readonly taskFunctions: Readonly<Record<string, string>>;
  };
}

export interface ProfileOptions {
  /** the local table's name (the stack's table is mapped to it) */
  readonly tableName: string;
  /** the local sender address: SES grants on the stack's sender (address or domain) are mapped to it */
  readonly localSender: string;
}

/**
 * Builds the profile from the template and, per function name, the logical ids of its function and
 * role (the stack knows them: LeadPactStack.functions()).
 */
export function iamProfileFromTemplate(
  template: CfnTemplate,
  functions: Readonly<Record<string, { readonly functionId: string; readonly roleId: string }>>,
  options: ProfileOptions,
): IamProfile {
  const table = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')?.[0];
  const resolve = templateResolver(template, { names: table ? { [table]: options.tableName } : {} });
  const machine = Object.entries(template.Resources).find(
    ([, r]) => r.Type === 'AWS::StepFunctions::StateMachine',
  )?.[0];
  if (!machine) throw new Error('the template has no state machine');
  // the stack's sender (an address identity, or an address on a domain identity with DKIM) stands for
  // the local sender: the SES grants name its identity and pin ses:FromAddress to it
  const domains = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::SES::EmailIdentity')
    .map((r) => String(r.Properties?.EmailIdentity ?? ''))
    .filter((identity) => identity !== '' && !identity.includes('@'));
  const envOf = (functionId: string) =>
    resolve(
      (template.Resources[functionId]?.Properties?.Environment as { Variables?: unknown } | undefined)
        ?.Variables ?? {},
    ) as Record<string, string>;
  const sender = Object.values(functions)
    .map((ids) => envOf(ids.functionId)[ENV.senderEmail])
    .find((value) => value !== undefined);
  const localDomain = options.localSender.split('@')[1] ?? options.localSender;
  const localize = (text: string): string => {
    let out = sender ? text.split(JSON.stringify(sender).slice(1, -1)).join(options.localSender) : text;
    for (const domain of domains) out = out.split(`:identity/${domain}"`).join(`:identity/${localDomain}"`);
    return out;
  };
  const out: Record<string, FunctionIam> = {};
  for (const [name, ids] of Object.entries(functions)) {
    const env = envOf(ids.functionId);
    const statements = roleStatements(template, ids.roleId, resolve);
    out[name] = {
      statements: JSON.parse(localize(JSON.stringify(statements))) as PolicyStatement[],
      env: JSON.parse(localize(JSON.stringify(env))) as Record<string, string>,
    };
  }
  const machineProps = template.Resources[machine]?.Properties ?? {};
  const machineRole = (machineProps.RoleArn as { 'Fn::GetAtt'?: [string, string] } | undefined)?.[
    'Fn::GetAtt'
  ]?.[0];
  const substitutions = (resolve(machineProps.DefinitionSubstitutions ?? {}) ?? {}) as Record<
    string,
    unknown
  >;
  const identities = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::SES::EmailIdentity')
    .map((r) => String(r.Properties?.EmailIdentity ?? ''))
    .filter((identity) => identity !== '')
    .map((identity) =>
      identity.includes('@') ? (identity === sender ? options.localSender : identity) : localDomain,
    );
  return {
    functions: out,
    stateMachineArn: resolve({ Ref: machine }) as string,
    sesIdentities: identities,
    ...(machineRole
      ? {
          stateMachine: {
            statements: roleStatements(template, machineRole, resolve),
            taskFunctions: Object.fromEntries(
              Object.entries(substitutions)
                .filter(([name, value]) => name.endsWith('FunctionArn') && typeof value === 'string')
                .map(([name, value]) => [name, value as string]),
            ),
          },
        }
      : {}),
  };
}

/** The profile with the state machine role's statements changed (tests: a grant removed). */
export function withStateMachineStatements(
  profile: IamProfile,
  edit: (statements: readonly PolicyStatement[]) => readonly PolicyStatement[],
): IamProfile {
  if (!profile.stateMachine) throw new Error('the profile has no state machine role');
  return {
    ...profile,
    stateMachine: { ...profile.stateMachine, statements: edit(profile.stateMachine.statements) },
  };
}

/** The profile with one function's statements changed (tests: a grant removed). */
export function withStatements(
  profile: IamProfile,
  name: string,
  edit: (statements: readonly PolicyStatement[]) => readonly PolicyStatement[],
): IamProfile {
  const fn = profile.functions[name];
  if (!fn) throw new Error(`the profile has no function ${name}`);
  return {
    ...profile,
    functions: { ...profile.functions, [name]: { ...fn, statements: edit(fn.statements) } },
  };
}
