import {
  ConditionalCheckFailedException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { SFNServiceException } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { isDependencyBusy } from '../../lambdas/ports/dependency-busy.ts';

const $metadata = { httpStatusCode: 400 };
const sdk = (name: string, status: number, fault: 'client' | 'server') =>
  new SFNServiceException({ name, $fault: fault, $metadata: { httpStatusCode: status } });

describe('isDependencyBusy', () => {
  it.each([
    [
      'DynamoDB ProvisionedThroughputExceeded',
      new ProvisionedThroughputExceededException({ message: 'x', $metadata }),
    ],
    ['DynamoDB RequestLimitExceeded', new RequestLimitExceeded({ message: 'x', $metadata })],
    [
      'DynamoDB InternalServerError',
      new InternalServerError({ message: 'x', $metadata: { httpStatusCode: 500 } }),
    ],
    ['Step Functions ThrottlingException', sdk('ThrottlingException', 400, 'client')],
    ['an AWS 503 of any name', sdk('SomethingUnavailable', 503, 'server')],
    ['an AWS 429 of any name', sdk('SlowDownPlease', 429, 'client')],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['the SDK request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
  ])('%s: busy (503)', (_, error) => {
    expect(isDependencyBusy(error)).toBe(true);
  });

  it.each([
    ['a failed condition', new ConditionalCheckFailedException({ message: 'x', $metadata })],
    ['a missing table', new ResourceNotFoundException({ message: 'x', $metadata })],
    ['a denied call (IAM)', sdk('AccessDeniedException', 400, 'client')],
    ['a malformed request of ours', sdk('ValidationException', 400, 'client')],
    ['an error of our own code', new TypeError('cannot read properties of undefined')],
    ['our error that carries a status, not from AWS', Object.assign(new Error('x'), { status: 503 })],
    ['not an error', 'ThrottlingException'],
    ['nothing', undefined],
  ])('%s: not busy (500 stays 500)', (_, error) => {
    expect(isDependencyBusy(error)).toBe(false);
  });
});
