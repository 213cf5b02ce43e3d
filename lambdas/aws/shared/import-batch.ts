/**
 * The bulk-import consumer: each SQS message is one lead, in the shape web forms post to POST /leads, read as
 * POST /leads reads that JSON (lead-post.ts readPost: vendors' names, "Germany" as DE, "1.000-4.999" employees,
 * what does not read kept as a field issue; only a missing or invalid email refuses it) and stored as it stores
 * one (leads-public.ts submitLead). Messages are
 * taken one at a time with at least 1/rate seconds between them, so one consumer starts at most `rate`
 * executions a second; the event source's maximum concurrency bounds the consumers (lib/import.ts).
 * A message that fails is reported back (partial batch response) and retried; after the queue's
 * maxReceiveCount it lands in the dead-letter queue, whose depth alarms.
 */
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import type { ApiDeps } from '../../api/deps.ts';
import { HttpError } from '../../api/http.ts';
import { readPost } from '../../api/lead-post.ts';
import { FORM_POST_RETRY, submissionExtras, submitLead } from '../../api/leads-public.ts';
import { leadIdFor } from '../../domain/lead-id.ts';

export interface ImportOptions {
  /** lead submissions started per second by this consumer */
  readonly perSecond: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export async function importBatch(
  deps: ApiDeps,
  records: readonly Pick<SQSRecord, 'messageId' | 'body'>[],
  options: ImportOptions,
): Promise<SQSBatchResponse> {
  if (!(options.perSecond > 0) || !Number.isFinite(options.perSecond)) {
    throw new RangeError(`perSecond must be a positive number, got ${options.perSecond}`);
  }
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? (() => Date.now());
  const interval = 1000 / options.perSecond;
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  let nextAt = now();
  for (const record of records) {
    const wait = nextAt - now();
    if (wait > 0) await sleep(wait);
    nextAt = Math.max(nextAt, now()) + interval;
    try {
      // (a honeypot value is not a reason to discard an import: imports are not bots; readPost leaves it out)
      const read = readPost(deps.sla, { kind: 'json', data: JSON.parse(record.body) }, {});
      if ('refusal' in read) throw read.refusal;
      const { submission } = read.lead;
      await submitLead(
        deps,
        submission,
        leadIdFor(submission.email, deps.leadIdSecret),
        FORM_POST_RETRY,
        submissionExtras(read.lead, deps.clock.now()),
      );
    } catch (error) {
      // the field paths only: values are personal data
      const fields = error instanceof HttpError ? error.fields.map((field) => field.path) : undefined;
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'import: the lead was not imported',
          messageId: record.messageId,
          error: error instanceof SyntaxError ? 'invalid JSON' : (error as Error).name,
          ...(fields ? { fields } : {}),
        }),
      );
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
