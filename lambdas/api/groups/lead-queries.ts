/**
 * The routes of the 'lead-queries' function (lambdas/aws/shared/api-groups.ts): lead lists and the SLA
 * report, read only, from the indexes. They parse query strings only, by hand: no zod here.
 */
import { listLeadsHandler } from '../lead-list.ts';
import type { RouteDefinition } from '../route-definition.ts';
import { slaReportHandler } from '../sla-report.ts';

export const LEAD_QUERY_ROUTES: readonly RouteDefinition[] = [
  { method: 'GET', path: '/leads', access: 'authenticated', make: listLeadsHandler },
  { method: 'GET', path: '/reports/sla', access: 'authenticated', make: slaReportHandler },
];
