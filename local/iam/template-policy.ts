/**
 * A role's identity policy from a synthesized CloudFormation template, with every token resolved
 * against a fixed fake deployment: account 000000000000, us-east-1, partition aws, and physical names
 * taken from the resource's own name property (TableName, StateMachineName, Name, ...) or its logical
 * id, unless `names` maps a logical id to the local name (the dynalite table, say). Resolves Ref,
 * Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split and the pseudo parameters; anything else throws.
 */
import type { PolicyStatement } from './evaluate.ts';

export const FAKE_ACCOUNT = '000000000000';
export const FAKE_REGION = 'us-east-1';
export const FAKE_PARTITION = 'aws';

export interface CfnTemplate {
  readonly Resources: Record<
    string,
    { readonly Type: string; readonly Properties?: Record<string, unknown> }
  >;
}

export interface ResolveOptions {
  /** logical id -> physical name, for resources the local runtime names differently */
  readonly names?: Readonly<Record<string, string>>;
  readonly account?: string;
  readonly region?: string;
  readonly partition?: string;
  readonly stackName?: string;
}

export type Resolve = (value: unknown) => unknown;

/** A resolver of template values to plain JSON for this fake deployment. */
export function templateResolver(template: CfnTemplate, options: ResolveOptions = {}): Resolve {
  const account = options.account ?? FAKE_ACCOUNT;
  const region = options.region ?? FAKE_REGION;
  const partition = options.partition ?? FAKE_PARTITION;
  const pseudo: Record<string, string> = {
    'AWS::AccountId': account,
    'AWS::Region': region,
    'AWS::Partition': partition,
    'AWS::StackName': options.stackName ?? 'LeadPact',
    'AWS::StackId': `arn:${partition}:cloudformation:${region}:${account}:stack/LeadPact/fake`,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const arn = (service: string, resource: string, withRegion = true) =>
    `arn:${partition}:${service}:${withRegion ? region : ''}:${account}:${resource}`;

  const nameOf = (logicalId: string): string => {
    const mapped = options.names?.[logicalId];
    if (mapped !== undefined) return mapped;
    const resource = template.Resources[logicalId];
    if (!resource) throw new Error(`template has no resource ${logicalId}`);
    const props = resource.Properties ?? {};
    for (const key of [
      'TableName',
      'StateMachineName',
      'FunctionName',
      'QueueName',
      'TopicName',
      'LogGroupName',
      'RoleName',
      'EmailIdentity',
      'Name',
    ]) {
      if (typeof props[key] === 'string') return props[key] as string;
    }
    return logicalId;
  };

  /** [Ref value, attributes] of a resource by its type */
  const describe = (logicalId: string): { ref: string; attrs: Record<string, string> } => {
    const type = template.Resources[logicalId]?.Type;
    const name = nameOf(logicalId);
    switch (type) {
      case 'AWS::DynamoDB::Table': {
        const tableArn = arn('dynamodb', `table/${name}`);
        return { ref: name, attrs: { Arn: tableArn, StreamArn: `${tableArn}/stream/fake` } };
      }
      case 'AWS::StepFunctions::StateMachine': {
        const machineArn = arn('states', `stateMachine:${name}`);
        return { ref: machineArn, attrs: { Arn: machineArn, Name: name } };
      }
      case 'AWS::SecretsManager::Secret':
        return { ref: arn('secretsmanager', `secret:${name}-AbCdEf`), attrs: {} };
      case 'AWS::SQS::Queue':
        return {
          ref: `https://sqs.${region}.amazonaws.com/${account}/${name}`,
          attrs: {
            Arn: arn('sqs', name),
            QueueName: name,
            QueueUrl: `https://sqs.${region}.amazonaws.com/${account}/${name}`,
          },
        };
      case 'AWS::Events::EventBus':
        return { ref: name, attrs: { Arn: arn('events', `event-bus/${name}`), Name: name } };
      case 'AWS::SNS::Topic':
        return { ref: arn('sns', name), attrs: { TopicArn: arn('sns', name), TopicName: name } };
      case 'AWS::Lambda::Function':
        return { ref: name, attrs: { Arn: arn('lambda', `function:${name}`) } };
      case 'AWS::Logs::LogGroup':
        return { ref: name, attrs: { Arn: arn('logs', `log-group:${name}:*`) } };
      case 'AWS::IAM::Role':
        return { ref: name, attrs: { Arn: arn('iam', `role/${name}`, false), RoleId: `AROA${name}` } };
      case 'AWS::ApiGatewayV2::Api':
        return {
          ref: name,
          attrs: { ApiEndpoint: `https://${name}.execute-api.${region}.amazonaws.com`, ApiId: name },
        };
      default:
        return { ref: name, attrs: { Arn: arn('fake', name) } };
    }
  };

  const ref = (name: string): string => pseudo[name] ?? describe(name).ref;
  const getAtt = (logicalId: string, attribute: string): string => {
    const value = describe(logicalId).attrs[attribute];
    if (value === undefined) throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
    return value;
  };

  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [key, arg] = entries[0]!;
      switch (key) {
        case 'Ref':
          return ref(arg as string);
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/);
          return getAtt(String(id), String(attribute));
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (resolve(parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Select': {
          const [index, items] = arg as [unknown, unknown];
          return (resolve(items) as unknown[])[Number(resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, source] = arg as [string, unknown];
          return String(resolve(source)).split(separator);
        }
        case 'Fn::Sub': {
          const [text, variables] = (Array.isArray(arg) ? arg : [arg, {}]) as [
            string,
            Record<string, unknown>,
          ];
          return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
            if (name in variables) return String(resolve(variables[name]));
            const dot = name.indexOf('.');
            return dot > 0 && !name.startsWith('AWS::')
              ? getAtt(name.slice(0, dot), name.slice(dot + 1))
              : ref(name);
          });
        }
        default:
          if (key.startsWith('Fn::') || key === 'Condition') throw new Error(`cannot resolve ${key}`);
      }
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, resolve(item)]));
  };
  return resolve;
}

/**
 * Every identity-policy statement of a role (by logical id), resolved: the AWS::IAM::Policy and
 * AWS::IAM::ManagedPolicy resources attached to it and its inline Policies. AWS managed policies
 * (ManagedPolicyArns, e.g. AWSLambdaBasicExecutionRole) are not in the template and are left out:
 * none of them grants DynamoDB, Step Functions, SES or Secrets Manager.
 */
export function roleStatements(
  template: CfnTemplate,
  roleLogicalId: string,
  resolve: Resolve,
): PolicyStatement[] {
  const attached = (roles: unknown) =>
    Array.isArray(roles) && roles.some((role) => (role as { Ref?: string }).Ref === roleLogicalId);
  const documents: unknown[] = [];
  for (const resource of Object.values(template.Resources)) {
    const props = resource.Properties ?? {};
    if (
      (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') &&
      attached(props.Roles)
    ) {
      documents.push(props.PolicyDocument);
    }
  }
  const role = template.Resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`template has no role ${roleLogicalId}`);
  for (const policy of (role.Properties?.Policies ?? []) as { PolicyDocument: unknown }[]) {
    documents.push(policy.PolicyDocument);
  }
  return documents.flatMap((document) => {
    const statements = (document as { Statement: unknown }).Statement;
    return (Array.isArray(statements) ? statements : [statements]).map(
      (statement) => resolve(statement) as PolicyStatement,
    );
  });
}
