/**
 * IAM enforced on an AWS SDK v3 client: a middleware (step `initialize`, so before serialization,
 * endpoint resolution, signing and sending) that names the action and resource of each command as
 * AWS authorizes it and evaluates them against one role's statements (evaluate.ts); a denied call
 * throws an AccessDeniedException shaped as the SDK throws AWS's, and nothing is sent.
 *
 * Commands covered (the ones LeadPact sends; anything else is denied, naming the command, so a new
 * call cannot slip through unchecked):
 * - DynamoDB: GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan (table, or table/index/<IndexName>),
 *   BatchWriteItem and BatchGetItem (every table in RequestItems).
 * - Step Functions: StartExecution (the state machine), DescribeExecution and StopExecution (the
 *   execution ARN), SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat (the state machine that owns
 *   the token: a token is opaque, so `taskTokenStateMachine` names it; AWS authorizes callbacks on it).
 * - SES v2: SendEmail (the From address's identity and, when named, the configuration set), with the
 *   condition key ses:FromAddress; GetAccount (`*`: it takes no resource).
 * - Secrets Manager: GetSecretValue (the secret's ARN).
 * - Lambda: Invoke, as lambda:InvokeFunction on the function's ARN (the state machine's role invoking a
 *   task; the engine asks, local/step-functions.ts).
 */
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeMiddleware,
  MetadataBearer,
  Pluggable,
} from '@smithy/types';
import { evaluate, type IamRequest, type PolicyStatement } from './evaluate.ts';
import { FAKE_ACCOUNT, FAKE_PARTITION, FAKE_REGION } from './template-policy.ts';

export interface IamRole {
  /** for messages: the function or role name */
  readonly name: string;
  readonly statements: readonly PolicyStatement[];
  readonly account?: string;
  readonly region?: string;
  readonly partition?: string;
  /** the state machine a task token belongs to (SendTask*) */
  readonly taskTokenStateMachine?: string;
  /**
   * The SES identities verified in the account (addresses and domains). SES authorizes ses:SendEmail against
   * the From address's identity when the address is verified, else against its domain's identity (the
   * stack's mailDomain). Absent: the address's identity.
   */
  readonly sesIdentities?: readonly string[];
}

export interface IamCheck extends IamRequest {
  readonly role: string;
  readonly command: string;
  readonly allowed: boolean;
}

/** Where checks go: a list (tests) or a callback (`leadpact dev` logs the denied ones). */
export type IamLog = IamCheck[] | ((check: IamCheck) => void);

export class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400, attempts: 1, totalRetryDelay: 0 };
  constructor(
    message: string,
    readonly request: IamRequest,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;

const str = (value: unknown, what: string): string => {
  if (typeof value !== 'string' || value === '') throw new Error(`IAM enforcement: ${what} is missing`);
  return value;
};

/** The partition key of a single-item request (its Key or Item: `pk`, plain or marshalled); else undefined. */
function partitionKeyOf(input: Input): string | undefined {
  const item = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  const pk = item?.pk;
  if (typeof pk === 'string') return pk;
  if (pk && typeof pk === 'object' && typeof (pk as { S?: unknown }).S === 'string')
    return (pk as { S: string }).S;
  return undefined;
}

/** The requests (action + resource) a command is authorized as; one per resource AWS checks. */
export function iamRequests(service: string, command: string, input: Input, role: IamRole): IamRequest[] {
  const partition = role.partition ?? FAKE_PARTITION;
  const region = role.region ?? FAKE_REGION;
  const account = role.account ?? FAKE_ACCOUNT;
  const arn = (svc: string, resource: string) => `arn:${partition}:${svc}:${region}:${account}:${resource}`;
  const operation = command.replace(/Command$/, '');
  const action = `${service}:${operation}`;
  switch (`${service}:${operation}`) {
    case 'dynamodb:GetItem':
    case 'dynamodb:PutItem':
    case 'dynamodb:UpdateItem':
    case 'dynamodb:DeleteItem':
    case 'dynamodb:Query':
    case 'dynamodb:Scan': {
      const table = arn('dynamodb', `table/${str(input.TableName, 'TableName')}`);
      const index = input.IndexName;
      // an item's partition key, as DynamoDB gives it to a policy (dynamodb:LeadingKeys)
      const pk = partitionKeyOf(input);
      return [
        {
          action,
          resource: typeof index === 'string' ? `${table}/index/${index}` : table,
          ...(pk === undefined ? {} : { context: { 'dynamodb:LeadingKeys': [pk] } }),
        },
      ];
    }
    case 'dynamodb:BatchWriteItem':
    case 'dynamodb:BatchGetItem':
      return Object.keys((input.RequestItems ?? {}) as Input).map((table) => ({
        action,
        resource: arn('dynamodb', `table/${table}`),
      }));
    case 'states:StartExecution':
      return [{ action, resource: str(input.stateMachineArn, 'stateMachineArn') }];
    case 'states:DescribeExecution':
    case 'states:StopExecution':
      return [{ action, resource: str(input.executionArn, 'executionArn') }];
    case 'states:SendTaskSuccess':
    case 'states:SendTaskFailure':
    case 'states:SendTaskHeartbeat':
      return [{ action, resource: str(role.taskTokenStateMachine, 'the state machine of the task token') }];
    case 'ses:SendEmail': {
      const from = str(input.FromEmailAddress, 'FromEmailAddress');
      const address = /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
      // ses:FromAddress: the sandbox grant pins the sender with it (lib/mail.ts)
      const context = { 'ses:FromAddress': address };
      const domain = address.split('@')[1] ?? '';
      const identity =
        role.sesIdentities && !role.sesIdentities.includes(address) && role.sesIdentities.includes(domain)
          ? domain
          : address;
      const requests: IamRequest[] = [{ action, resource: arn('ses', `identity/${identity}`), context }];
      if (typeof input.ConfigurationSetName === 'string') {
        requests.push({
          action,
          resource: arn('ses', `configuration-set/${input.ConfigurationSetName}`),
          context,
        });
      }
      return requests;
    }
    case 'ses:GetAccount':
      // the account's sending quota: no resource-level permission, so `*`
      return [{ action, resource: '*' }];
    case 'lambda:Invoke':
      // the state machine's role invoking a task's function (local/step-functions.ts)
      return [{ action: 'lambda:InvokeFunction', resource: str(input.FunctionName, 'FunctionName') }];
    case 'events:PutEvents': {
      // one request per bus the entries name (a name or an ARN; absent: the default bus)
      const buses = new Set(
        ((input.Entries ?? []) as Input[]).map((entry) => {
          const bus =
            typeof entry.EventBusName === 'string' && entry.EventBusName ? entry.EventBusName : 'default';
          return bus.startsWith('arn:') ? bus : arn('events', `event-bus/${bus}`);
        }),
      );
      return [...buses].map((resource) => ({ action, resource }));
    }
    case 'secretsmanager:GetSecretValue': {
      const id = str(input.SecretId, 'SecretId');
      return [
        { action, resource: id.startsWith('arn:') ? id : arn('secretsmanager', `secret:${id}-??????`) },
      ];
    }
    default:
      // not modelled: deny, naming it, rather than let it through unchecked
      return [{ action, resource: `unmodelled:${command}` }];
  }
}

/** Checks every request of a command; throws AccessDeniedException on the first denied one. */
export function authorize(service: string, command: string, input: Input, role: IamRole, log?: IamLog): void {
  for (const request of iamRequests(service, command, input, role)) {
    const decision = request.resource.startsWith('unmodelled:')
      ? undefined
      : evaluate(role.statements, request);
    const allowed = decision?.decision === 'allow';
    const check = { ...request, role: role.name, command, allowed };
    if (typeof log === 'function') log(check);
    else log?.push(check);
    if (!allowed) {
      const why =
        decision === undefined
          ? `the local IAM enforcement does not model ${command}`
          : decision.decision === 'explicit-deny'
            ? `with an explicit deny in an identity-based policy${decision.statement.Sid ? ` (${decision.statement.Sid})` : ''}`
            : `because no identity-based policy allows the ${request.action} action`;
      throw new AccessDeniedException(
        `User: arn:${role.partition ?? FAKE_PARTITION}:sts::${role.account ?? FAKE_ACCOUNT}:assumed-role/${role.name}/local is not authorized to perform: ${request.action} on resource: ${request.resource} ${why}`,
        request,
      );
    }
  }
}

const SERVICE_OF_CLIENT: Record<string, string> = {
  DynamoDBClient: 'dynamodb',
  SFNClient: 'states',
  SESv2Client: 'ses',
  SESClient: 'ses',
  SecretsManagerClient: 'secretsmanager',
  EventBridgeClient: 'events',
};

/** The middleware: `client.middlewareStack.use(iamEnforcement(role, log))`. */
export function iamEnforcement(role: IamRole, log?: IamLog): Pluggable<object, MetadataBearer> {
  const middleware: InitializeMiddleware<object, MetadataBearer> =
    (next: InitializeHandler<object, MetadataBearer>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<object>) => {
      const clientName = String(context.clientName ?? '');
      const service = SERVICE_OF_CLIENT[clientName];
      if (!service) throw new Error(`IAM enforcement: no service known for client ${clientName}`);
      authorize(service, String(context.commandName ?? ''), args.input as Input, role, log);
      return next(args);
    };
  return {
    applyToStack(stack) {
      stack.add(middleware, {
        step: 'initialize',
        priority: 'high',
        name: 'leadpactIamEnforcement',
        override: true,
      });
    },
  };
}
