/**
 * The SLA migration on deploy (lambdas/aws/migrate-leads.ts, lib/sla-migration.ts): a CloudFormation
 * custom resource backed directly by the function (no provider framework), so the function answers
 * CloudFormation itself, by a PUT to the event's pre-signed ResponseURL. Create and Update run the
 * migration runner (lambdas/tasks/migrate-leads.ts) with the bundled SLA; a StrandedLeadsError (or any
 * error) answers FAILED with the message (the stranded lead ids and the mapping to add), so the deploy
 * fails and CloudFormation rolls the stack back to the SLA that was running. Delete does nothing.
 */
import { slaHash } from '../../domain/sla-hash.ts';
import type { Sla } from '../../domain/sla-schema.ts';
import type { MigrateDeps, MigrationReport } from '../../tasks/migrate-leads.ts';

/** The request CloudFormation sends to a custom resource's function (the fields used here). */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Readonly<Record<string, unknown>> & { readonly SlaHash?: string };
}

/** The answer PUT to the ResponseURL. */
export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly Data?: Readonly<Record<string, string>>;
}

export const MIGRATION_RESOURCE_ID = 'leadpact-sla-migration';
/** CloudFormation takes a response body of at most 4 KiB: the reason is cut well below that. */
export const MAX_REASON = 3000;

export interface MigrationResourceDeps extends Omit<MigrateDeps, 'sla'> {
  readonly sla: Sla;
  readonly migrate: (deps: MigrateDeps) => Promise<MigrationReport>;
}

/** What to answer CloudFormation for `event`: runs the migration on Create and Update. */
export async function migrationResponse(
  event: CustomResourceEvent,
  deps: MigrationResourceDeps,
): Promise<CustomResourceResponse> {
  const base = {
    PhysicalResourceId: event.PhysicalResourceId ?? MIGRATION_RESOURCE_ID,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
  if (event.RequestType === 'Delete') return { ...base, Status: 'SUCCESS' };
  // The function is updated before the resource (the resource refers to it), so a forward deploy always
  // finds its own SLA here. Another hash means this code is not the SLA the request names: do nothing.
  const bundled = slaHash(JSON.stringify(deps.sla));
  if (event.ResourceProperties.SlaHash !== bundled) {
    console.warn(
      JSON.stringify({
        level: 'warn',
        msg: 'SLA migration skipped: the request names another SLA than the one bundled',
        requested: event.ResourceProperties.SlaHash,
        bundled,
        slaVersion: deps.sla.version,
      }),
    );
    return {
      ...base,
      Status: 'SUCCESS',
      Data: { slaVersion: deps.sla.version, checked: '0', migrated: '0' },
    };
  }
  try {
    const report = await deps.migrate(deps);
    return {
      ...base,
      Status: 'SUCCESS',
      Data: {
        slaVersion: deps.sla.version,
        checked: String(report.checked),
        migrated: String(report.migrated.length),
      },
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      JSON.stringify({
        level: 'error',
        msg: 'SLA migration failed',
        slaVersion: deps.sla.version,
        error: message,
      }),
    );
    return { ...base, Status: 'FAILED', Reason: reason(message) };
  }
}

function reason(message: string): string {
  if (message.length <= MAX_REASON) return message;
  const more = "\n... (cut: the migrate-leads function's log has the whole message)";
  return message.slice(0, MAX_REASON - more.length) + more;
}

/** Answers CloudFormation: a PUT of the JSON body to the pre-signed URL (no content type: it is not signed). */
export async function respond(url: string, response: CustomResourceResponse): Promise<void> {
  const answer = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': '' },
    body: JSON.stringify(response),
  });
  if (!answer.ok) throw new Error(`CloudFormation did not take the response: HTTP ${answer.status}`);
}
