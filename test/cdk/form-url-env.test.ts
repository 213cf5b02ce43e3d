/**
 * The form function serves the form's script on the HTTP API (GET /forms/{file}) and the post on the form's
 * REST API stage behind WAF: it is told that stage's URL (LEADPACT_FORM_URL), the FormUrl output's, so the
 * form the script renders posts there and not to the HTTP API (which has no POST /leads).
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../lambdas/aws/shared/env.ts';
import { FORM_STAGE } from '../../lib/form-api.ts';
import { synthesize } from './synth.ts';

describe('the form function knows where forms post', () => {
  it('LEADPACT_FORM_URL is the form REST API stage, as the FormUrl output names it', () => {
    // Act
    const synth = synthesize({ bundle: false });
    // Assert
    const fn = synth.stack.api.functions['lead-form'];
    const env =
      synth.template.findResources('AWS::Lambda::Function')[
        synth.stack.getLogicalId(fn.function.node.defaultChild as CfnElement)
      ]!.Properties.Environment.Variables;
    const restApi = synth.stack.getLogicalId(synth.stack.formApi.restApi.node.defaultChild as CfnElement);
    expect(env[ENV.formUrl]).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: restApi },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
          `/${FORM_STAGE}`,
        ],
      ],
    });
    const formUrl = JSON.stringify(synth.template.toJSON().Outputs.FormUrl.Value);
    expect(formUrl).toContain(`{"Ref":"${restApi}"}`);
  }, 120_000);
});
