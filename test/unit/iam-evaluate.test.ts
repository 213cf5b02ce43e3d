/**
 * The local IAM evaluator (local/iam/evaluate.ts), the template resolver (template-policy.ts) and the
 * action/resource naming of SDK commands (enforce.ts), as AWS evaluates identity policies.
 */
import { describe, expect, it } from 'vitest';
import { AccessDeniedException, authorize, iamRequests } from '../../local/iam/enforce.ts';
import { evaluate, type PolicyStatement, wildcardMatch } from '../../local/iam/evaluate.ts';
import { roleStatements, templateResolver } from '../../local/iam/template-policy.ts';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/leadpact-local';
const MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:LeadPact-lead-lifecycle';
const EXECUTION = 'arn:aws:states:us-east-1:000000000000:execution:LeadPact-lead-lifecycle:lead-c1-g0';

const allow = (
  Action: string | string[],
  Resource: string | string[],
  extra: Partial<PolicyStatement> = {},
) => ({ Effect: 'Allow', Action, Resource, ...extra }) as PolicyStatement;
const deny = (Action: string | string[], Resource: string | string[], extra: Partial<PolicyStatement> = {}) =>
  ({ Effect: 'Deny', Action, Resource, ...extra }) as PolicyStatement;

describe('evaluate: identity policies as AWS evaluates them', () => {
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['no statement: implicit deny', [], 'dynamodb:GetItem', TABLE, 'implicit-deny'],
    ['exact action and resource', [allow('dynamodb:GetItem', TABLE)], 'dynamodb:GetItem', TABLE, 'allow'],
    ['actions are case-insensitive', [allow('DynamoDB:getitem', TABLE)], 'dynamodb:GetItem', TABLE, 'allow'],
    ['resources are case-sensitive', [allow('dynamodb:GetItem', TABLE.toUpperCase())], 'dynamodb:GetItem', TABLE, 'implicit-deny'],
    ['another action', [allow(['dynamodb:GetItem', 'dynamodb:PutItem'], TABLE)], 'dynamodb:UpdateItem', TABLE, 'implicit-deny'],
    ['action wildcard', [allow('dynamodb:*Item', TABLE)], 'dynamodb:UpdateItem', TABLE, 'allow'],
    ['action ? wildcard', [allow('states:?topExecution', EXECUTION)], 'states:StopExecution', EXECUTION, 'allow'],
    ['the table grant does not cover an index', [allow('dynamodb:Query', TABLE)], 'dynamodb:Query', `${TABLE}/index/GSI3`, 'implicit-deny'],
    ['the index grant covers that index only', [allow('dynamodb:Query', `${TABLE}/index/GSI3`)], 'dynamodb:Query', `${TABLE}/index/GSI1`, 'implicit-deny'],
    ['an index wildcard', [allow('dynamodb:Query', `${TABLE}/index/*`)], 'dynamodb:Query', `${TABLE}/index/GSI3`, 'allow'],
    ['execution wildcard covers the machine executions', [allow('states:DescribeExecution', `${EXECUTION.replace(/lead-c1-g0$/, '*')}`)], 'states:DescribeExecution', EXECUTION, 'allow'],
    ['a state machine grant does not cover its executions', [allow('states:StopExecution', MACHINE)], 'states:StopExecution', EXECUTION, 'implicit-deny'],
    ['Resource * ', [allow('xray:PutTraceSegments', '*')], 'xray:PutTraceSegments', 'anything', 'allow'],
    ['explicit deny wins over allow', [allow('dynamodb:*', '*'), deny('dynamodb:BatchWriteItem', TABLE)], 'dynamodb:BatchWriteItem', TABLE, 'explicit-deny'],
    ['a deny elsewhere does not apply', [allow('dynamodb:*', '*'), deny('dynamodb:BatchWriteItem', `${TABLE}-other`)], 'dynamodb:BatchWriteItem', TABLE, 'allow'],
    ['NotAction allows the rest', [{ Effect: 'Allow', NotAction: 'dynamodb:Delete*', Resource: '*' }], 'dynamodb:PutItem', TABLE, 'allow'],
    ['NotAction excludes its own', [{ Effect: 'Allow', NotAction: 'dynamodb:Delete*', Resource: '*' }], 'dynamodb:DeleteItem', TABLE, 'implicit-deny'],
    ['NotResource', [{ Effect: 'Allow', Action: 'states:*', NotResource: MACHINE }], 'states:StartExecution', MACHINE, 'implicit-deny'],
    ['Deny with NotResource', [allow('*', '*'), { Effect: 'Deny', Action: '*', NotResource: `${TABLE}*` }], 'states:StartExecution', MACHINE, 'explicit-deny'],
  ] as [string, PolicyStatement[], string, string, string][])('%s', (_name, statements, action, resource, expected) => {
    expect(evaluate(statements, { action, resource }).decision).toBe(expected);
  });

  const conditional = (Condition: PolicyStatement['Condition']) => [
    allow('dynamodb:UpdateItem', TABLE, { Condition }),
  ];
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['StringLike on a present key', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['rotation#*'] } }, { 'dynamodb:LeadingKeys': ['rotation#q1'] }, 'allow'],
    ['StringLike not matching', { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['rotation#*'] } }, { 'dynamodb:LeadingKeys': ['lead#1'] }, 'implicit-deny'],
    ['StringEquals, key missing', { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } }, {}, 'implicit-deny'],
    ['StringEqualsIfExists, key missing', { StringEqualsIfExists: { 'aws:RequestedRegion': 'us-east-1' } }, {}, 'allow'],
    ['Bool', { Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:SecureTransport': true }, 'allow'],
    ['an operator this evaluator does not know: fails closed', { DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-01-01T00:00:00Z' }, 'implicit-deny'],
  ] as [string, PolicyStatement['Condition'], Record<string, string | string[] | boolean>, string][])('Condition: %s', (_name, condition, context, expected) => {
    expect(evaluate(conditional(condition), { action: 'dynamodb:UpdateItem', resource: TABLE, context }).decision).toBe(expected);
  });

  it('a Deny with a condition it cannot evaluate applies (fails closed)', () => {
    const statements = [
      allow('*', '*'),
      deny('*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }),
    ];
    expect(evaluate(statements, { action: 'dynamodb:GetItem', resource: TABLE }).decision).toBe(
      'explicit-deny',
    );
  });

  it.each([
    ['a*c', 'abbbc', true],
    ['a*c', 'ab/:c', true],
    ['a?c', 'abc', true],
    ['a?c', 'abbc', false],
    ['a.c', 'abc', false],
    ['arn:aws:s3:::b/(x)', 'arn:aws:s3:::b/(x)', true],
  ])('wildcardMatch(%s, %s) = %s', (pattern, value, expected) => {
    expect(wildcardMatch(pattern, value)).toBe(expected);
  });
});

/** CloudFormation's Fn::Sub syntax (`${...}`), built so it is not mistaken for a JS template string */
const SUB_EXECUTIONS = [
  'arn:',
  'AWS::Partition',
  ':states:',
  'AWS::Region',
  ':',
  'AWS::AccountId',
  ':execution:',
  'Machine.Name',
  ':*',
]
  .map((part, i) => (i % 2 ? `\${${part}}` : part))
  .join('');

describe('templateResolver and roleStatements', () => {
  const template = {
    Resources: {
      Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      Machine: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: { StateMachineName: 'LeadPact-lead-lifecycle' },
      },
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { Policies: [{ PolicyDocument: { Statement: [allow('sqs:SendMessage', '*')] } }] },
      },
      Policy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'Role' }],
          PolicyDocument: {
            Statement: [
              allow('dynamodb:Query', {
                'Fn::Join': ['', [{ 'Fn::GetAtt': ['Table', 'Arn'] }, '/index/GSI3']],
              } as never),
              allow('states:StartExecution', { Ref: 'Machine' } as never),
              allow('states:StopExecution', {
                'Fn::Sub': SUB_EXECUTIONS,
              } as never),
            ],
          },
        },
      },
      Other: {
        Type: 'AWS::IAM::Policy',
        Properties: { Roles: [{ Ref: 'OtherRole' }], PolicyDocument: { Statement: [allow('*', '*')] } },
      },
    },
  };

  it('resolves Ref, GetAtt, Join, Sub and pseudo parameters against the fake deployment and local names', () => {
    const resolve = templateResolver(template, { names: { Table: 'leadpact-local' } });
    expect(roleStatements(template, 'Role', resolve).map((s) => s.Resource)).toEqual([
      `${TABLE}/index/GSI3`,
      MACHINE,
      'arn:aws:states:us-east-1:000000000000:execution:LeadPact-lead-lifecycle:*',
      '*',
    ]);
  });

  it('refuses an intrinsic it does not know', () => {
    expect(() => templateResolver(template)({ 'Fn::ImportValue': 'x' })).toThrow(/Fn::ImportValue/);
  });
});

describe('the IAM middleware names commands as AWS authorizes them', () => {
  const role = { name: 'fn', statements: [allow('dynamodb:GetItem', TABLE)], taskTokenStateMachine: MACHINE };
  // biome-ignore format: one row per case reads as a table
  it.each([
    ['dynamodb', 'GetItemCommand', { TableName: 'leadpact-local' }, [['dynamodb:GetItem', TABLE]]],
    ['dynamodb', 'UpdateItemCommand', { TableName: 'leadpact-local' }, [['dynamodb:UpdateItem', TABLE]]],
    ['dynamodb', 'QueryCommand', { TableName: 'leadpact-local', IndexName: 'GSI3' }, [['dynamodb:Query', `${TABLE}/index/GSI3`]]],
    ['dynamodb', 'BatchWriteItemCommand', { RequestItems: { 'leadpact-local': [], other: [] } }, [['dynamodb:BatchWriteItem', TABLE], ['dynamodb:BatchWriteItem', 'arn:aws:dynamodb:us-east-1:000000000000:table/other']]],
    ['states', 'StartExecutionCommand', { stateMachineArn: MACHINE, name: 'x' }, [['states:StartExecution', MACHINE]]],
    ['states', 'SendTaskSuccessCommand', { taskToken: 't' }, [['states:SendTaskSuccess', MACHINE]]],
    ['states', 'StopExecutionCommand', { executionArn: EXECUTION }, [['states:StopExecution', EXECUTION]]],
    ['states', 'DescribeExecutionCommand', { executionArn: EXECUTION }, [['states:DescribeExecution', EXECUTION]]],
    ['ses', 'SendEmailCommand', { FromEmailAddress: '"Acme" <sales@acme.example>', ConfigurationSetName: 'cs' }, [['ses:SendEmail', 'arn:aws:ses:us-east-1:000000000000:identity/sales@acme.example'], ['ses:SendEmail', 'arn:aws:ses:us-east-1:000000000000:configuration-set/cs']]],
  ] as [string, string, Record<string, unknown>, string[][]][])('%s %s', (service, command, input, expected) => {
    expect(iamRequests(service, command, input, role).map((r) => [r.action, r.resource])).toEqual(expected);
  });

  it('throws AccessDeniedException for a denied call, and for a command it does not model', () => {
    expect(() =>
      authorize('dynamodb', 'GetItemCommand', { TableName: 'leadpact-local' }, role),
    ).not.toThrow();
    expect(() => authorize('dynamodb', 'PutItemCommand', { TableName: 'leadpact-local' }, role)).toThrow(
      AccessDeniedException,
    );
    expect(() => authorize('dynamodb', 'PutItemCommand', { TableName: 'leadpact-local' }, role)).toThrow(
      /not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\/leadpact-local/,
    );
    expect(() => authorize('dynamodb', 'TransactWriteItemsCommand', {}, role)).toThrow(
      /does not model TransactWriteItemsCommand/,
    );
  });
});
