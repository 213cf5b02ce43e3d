/**
 * `leadpact report [--url API (--token T | --aws) | --data DIR] [--from] [--to] [--rep ID] [--queue ID]
 * [--json | --html FILE [--locale TAG]] [--sla FILE]`: the SLA report of GET /reports/sla, from a running API or from
 * the store of `leadpact dev --data DIR` (stop `leadpact dev` on it first: LevelDB takes one process).
 * With --url, the page names things by the SLA file only when it is the version the server reports (report-sla.ts).
 * `--rep` may name a rep who has left the SLA whose facts or leads remain: the report names them by the name their
 * facts recorded; an id nothing names is refused, naming the value (ADR 0084 amended).
 * The same figures either way: both compute lambdas/domain/sla-report.ts over the same report facts.
 * Exit 0 with the report, 2 on a usage error, an unreachable API or an unreadable store.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpError } from '../../lambdas/api/http.ts';
import { buildReport, reportQuerySchema } from '../../lambdas/api/sla-report.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { reportHtml, reportText, type SlaReport } from '../../lambdas/domain/sla-report.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { writeFileAtomic } from '../../local/atomic-file.ts';
import { type ApiAuth, apiAuth, callApi } from './api-call.ts';
import { type CliIo, DEFAULT_SLA_FILE, readInput } from './io.ts';
import { slaOfReport } from './report-sla.ts';
import { formatSlaErrors } from './validate.ts';

export async function reportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      aws: { type: 'boolean' },
      data: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      rep: { type: 'string' },
      queue: { type: 'string' },
      json: { type: 'boolean' },
      html: { type: 'string' },
      locale: { type: 'string' },
      sla: { type: 'string' },
    },
  });
  if (Boolean(values.url) === Boolean(values.data))
    throw new Error('report needs --url API --token T (a running API) or --data DIR (a leadpact dev store)');
  if (values.json && values.html) throw new Error('report takes --json or --html FILE, not both');
  const query = Object.fromEntries(
    (['from', 'to', 'rep', 'queue'] as const).flatMap((name) =>
      values[name] === undefined ? [] : [[name, values[name]]],
    ),
  ) as Record<string, string>;

  let report: SlaReport;
  /** the SLA of the report: the one reported against (--data), else the file's when it is the server's version */
  let sla: Sla | undefined;
  if (values.url) {
    report = await fetchReport(values.url, apiAuth('report', values), query);
    if (values.html) sla = slaOfReport(io, report, values.sla);
  } else {
    const file = values.sla ?? DEFAULT_SLA_FILE;
    const parsed = parseSla(readInput(io, file, 'SLA file'));
    if (!parsed.ok) {
      io.err(formatSlaErrors(file, parsed.errors));
      return 2;
    }
    const checked = reportQuerySchema({ sla: parsed.sla }).safeParse(query);
    if (!checked.success)
      throw new Error(
        checked.error.issues.map((issue) => `--${issue.path.join('.')}: ${issue.message}`).join('; '),
      );
    const { openLocalStore } = await import('./local-store.ts');
    sla = parsed.sla;
    const opened = await openLocalStore(values.data!);
    try {
      const now = opened.slaTime ?? new Date();
      report = await buildReport(
        { sla: parsed.sla, clock: { now: () => now }, queries: opened.queries },
        {},
        checked.data,
      ).catch((error: unknown) => {
        // a refusal of the store's answer (a rep no fact, lead or migration names): its fields as flags, as --url
        if (error instanceof HttpError && error.fields.length)
          throw new Error(error.fields.map((field) => `--${field.path}: ${field.message}`).join('; '));
        throw error;
      });
    } finally {
      await opened.close();
    }
  }
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else if (values.html) {
    const locale = values.locale ?? sla?.locales.default ?? 'en';
    if (sla && !sla.locales.supported.includes(locale))
      throw new Error(
        `--locale: ${locale} is not one of the SLA's languages (${sla.locales.supported.join(', ')})`,
      );
    await writeFileAtomic(resolve(values.html), reportHtml(report, { locale, ...(sla ? { sla } : {}) }));
    io.out(`wrote ${values.html}`);
  } else io.out(reportText(report));
  return 0;
}

async function fetchReport(url: string, auth: ApiAuth, query: Record<string, string>): Promise<SlaReport> {
  const target = new URL('/reports/sla', url);
  for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
  return callApi<SlaReport>(target, auth, {}, (path) => `--${path}`);
}
