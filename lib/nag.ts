/**
 * cdk-nag (AwsSolutions) in the app and the tests. A finding is fixed where it can be; where the
 * design decides otherwise, it is suppressed next to the resource, with the reason in words.
 */
import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export interface Justified {
  /** e.g. 'AwsSolutions-IAM5' */
  readonly id: string;
  readonly reason: string;
  /** the findings it covers (e.g. a wildcard resource); all of the rule's findings when omitted */
  readonly appliesTo?: readonly (string | RegExp)[];
}

export function suppress(construct: IConstruct, ...findings: Justified[]): void {
  NagSuppressions.addResourceSuppressions(
    construct,
    findings.map((finding) => ({
      id: finding.id,
      reason: finding.reason,
      ...(finding.appliesTo
        ? {
            appliesTo: finding.appliesTo.map((a) => (typeof a === 'string' ? a : { regex: `/${a.source}/` })),
          }
        : {}),
    })),
    true,
  );
}

/** X-Ray's write actions take no resource: the house functions and the state machine all need this one. */
export const XRAY_WILDCARD: Justified = {
  id: 'AwsSolutions-IAM5',
  reason:
    'xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions; tracing is on by design (Tracing.ACTIVE).',
  appliesTo: ['Resource::*'],
};
