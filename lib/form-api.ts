/**
 * The public form's own front door (docs/decisions/0015-public-form-behind-waf.md): an API Gateway REST
 * API with one route, POST /leads, on a regional stage that an AWS WAF web ACL guards with a rate-based
 * rule per client address. HTTP APIs (apigatewayv2) cannot be associated with WAF, so the one route the
 * internet can flood moves here; every other route stays on the HTTP API. The same lead-form function
 * serves it (api-dispatch.ts maps the REST event's method and resource to the route key).
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { LeadPactFunction } from './leadpact-function.ts';
import { suppress } from './nag.ts';

export interface PublicFormApiProps {
  readonly formFunction: LeadPactFunction;
  readonly allowedOrigins: readonly string[];
  /** the stage's own limits for the route, all clients together */
  readonly throttle: { readonly rate: number; readonly burst: number };
  /** WAF: requests one client address may make in `windowSeconds` before it is blocked (429) */
  readonly perClientLimit: number;
  readonly windowSeconds: number;
  readonly logRetention: RetentionDays;
}

export const FORM_STAGE = 'form';

export class PublicFormApi extends Construct {
  readonly restApi: RestApi;
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: PublicFormApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.restApi = new RestApi(this, 'Rest', {
      // its metrics are keyed by this name (ApiName): the stack's own, not a "Rest" any stack could have
      restApiName: `${Stack.of(this).stackName}-form`,
      description: 'LeadPact public form: POST /leads, behind AWS WAF',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: false,
      deployOptions: {
        stageName: FORM_STAGE,
        throttlingRateLimit: props.throttle.rate,
        throttlingBurstLimit: props.throttle.burst,
        loggingLevel: MethodLoggingLevel.OFF,
        tracingEnabled: true,
        // no IP, no path: no personal data (as the HTTP API's access log)
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            resource: '$context.resourcePath',
            method: '$context.httpMethod',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            wafStatus: '$context.waf.status',
            error: '$context.error.message',
          }),
        ),
      },
      defaultCorsPreflightOptions: {
        allowOrigins: [...props.allowedOrigins],
        allowMethods: ['POST', 'OPTIONS'],
        allowHeaders: ['content-type'],
        maxAge: Duration.minutes(10),
      },
    });
    const method = this.restApi.root
      .addResource('leads')
      .addMethod('POST', new LambdaIntegration(props.formFunction.function));

    this.webAcl = new CfnWebACL(this, 'Waf', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: 'LeadPact public form: a per-client rate limit',
      visibilityConfig: {
        cloudWatchMetricsEnabled: true,
        metricName: 'LeadPactForm',
        sampledRequestsEnabled: false,
      },
      rules: [
        {
          name: 'PerClientRateLimit',
          priority: 0,
          action: {
            block: {
              customResponse: {
                responseCode: 429,
                customResponseBodyKey: 'tooMany',
              },
            },
          },
          statement: {
            rateBasedStatement: {
              limit: props.perClientLimit,
              evaluationWindowSec: props.windowSeconds,
              aggregateKeyType: 'IP',
            },
          },
          visibilityConfig: {
            cloudWatchMetricsEnabled: true,
            metricName: 'LeadPactFormPerClientRateLimit',
            sampledRequestsEnabled: false,
          },
        },
      ],
      customResponseBodies: {
        tooMany: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            error: {
              code: 'too_many_requests',
              message: 'too many posts from this address; try again in a few minutes',
            },
          }),
        },
      },
    });
    new CfnWebACLAssociation(this, 'WafAssociation', {
      resourceArn: Stack.of(this).formatArn({
        service: 'apigateway',
        account: '',
        resource: '/restapis',
        resourceName: `${this.restApi.restApiId}/stages/${this.restApi.deploymentStage.stageName}`,
      }),
      webAclArn: this.webAcl.attrArn,
    });

    suppress(method, {
      id: 'AwsSolutions-APIG4',
      reason:
        'POST /leads is the public web form: anyone may post a lead. WAF limits each client address, the stage throttles all, the handler checks the Origin, caps the body at 16 KB, drops honeypot posts and can verify a CAPTCHA.',
    });
    suppress(method, {
      id: 'AwsSolutions-COG4',
      reason:
        'The public web form takes no credentials, so no Cognito authorizer: anyone may post a lead (see the APIG4 reason).',
    });
    suppress(this.restApi, {
      id: 'AwsSolutions-APIG2',
      reason:
        'The handler validates the body with zod and answers 4xx naming each field (a request model here would answer without the field names, and plain form posts are not JSON).',
    });
    suppress(this.restApi, {
      id: 'AwsSolutions-APIG6',
      reason:
        'Execution logging (which logs request data: personal data) is off on purpose; access logs without IP or path are on.',
    });
  }

  /** Where web forms post: <url>leads. */
  get url(): string {
    return this.restApi.url.replace(/\/$/, '');
  }

  /**
   * The same URL built from the API's id and the stage's name as text, not from the stage resource: for the
   * form function's own environment (the stage depends on the deployment, the deployment on the method, the
   * method on the function: `url` there would be a cycle).
   */
  get urlForFunction(): string {
    const stack = Stack.of(this);
    return `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${FORM_STAGE}`;
  }
}
