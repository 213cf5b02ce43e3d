/**
 * The funnel of the SLA report, over real HTTP on the local runtime, as a manager trial read it: demo requests
 * that score straight to SQL counted only at the SQL stage, so the funnel said "Marketing qualified lead 0"
 * beside "MQLs delivered 11" and nobody could read the MQL to SQL conversion. A lead now counts at every stage
 * it reached, skipped ones too (ADR 0073): the JSON, the console's overview and its reports agree with marketing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SlaReport } from '../../lambdas/domain/sla-report.ts';
import { consoleFetch, signIn, textOf } from '../support/console.ts';
import { MINUTE, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';

const api = useLocalApi({ eventsOff: true });
const PRIYA = 'priya.shah@kessler-industrial.example'; // ops

describe('the funnel of a week of two demo requests (SQLs at once), a guide download (an MQL) and a student (a lead)', () => {
  let report: SlaReport;
  let cookie: string;

  beforeAll(async () => {
    api.clock.set(T0);
    for (const name of ['demo-a', 'demo-b'])
      await api.createLead({ email: api.uniqueEmail(name), ...SQL_LEAD });
    await api.createLead({ email: api.uniqueEmail('guide'), ...SQL_LEAD, formId: 'efficiency-guide' });
    await api.createLead({
      email: api.uniqueEmail('student'),
      jobTitle: 'Student',
      formId: 'efficiency-guide',
    });
    const response = await api.request('GET', '/reports/sla?from=2026-11-23&to=2026-11-30');
    expect(response.status, response.text).toBe(200);
    report = response.body as SlaReport;
    cookie = await signIn(api.runtime, PRIYA);
  });

  it.each([
    // stage, reached, reached the next stage, conversion to it
    ['subscriber', 4, 4, 1],
    ['lead', 4, 3, 0.75],
    ['mql', 3, 2, 0.667], // the guide download and the two demo requests: MQL to SQL 67 %
    ['sql', 2, 0, 0],
    ['customer', 0, 0, null],
  ])(
    'GET /reports/sla: %s reached %i, %i on to the next stage (%s)',
    (stage, reached, reachedNext, conversionToNext) => {
      // Act
      const row = report.funnel.find((candidate) => candidate.stage === stage);

      // Assert
      expect(row).toMatchObject({ reached, reachedNext, conversionToNext });
    },
  );

  it('GET /reports/sla: the MQL stage reached is marketing’s MQLs delivered', () => {
    // Act
    const mql = report.funnel.find((candidate) => candidate.stage === 'mql');

    // Assert
    expect(report.marketing.mqls.actual).toBe(3);
    expect(mql?.reached).toBe(report.marketing.mqls.actual);
  });

  it.each([
    ['the overview', '/console'],
    ['the reports', '/console/reports?period=7d'],
  ])(
    '%s: the MQL bar reads 3 as the MQLs delivered card, with the share on to SQL, and says what it counts',
    async (_page, path) => {
      // Arrange: a minute on, the leads are inside the period that ends now
      api.clock.set(new Date(T0.getTime() + MINUTE));

      // Act
      const page = await consoleFetch(api.runtime, 'GET', path, { cookie });

      // Assert
      expect(page.status).toBe(200);
      const text = textOf(page.text);
      expect(text).toMatch(/MQLs delivered\s*3 of/);
      expect(text).toMatch(/Marketing qualified lead\s*3 · 67% on to the next/);
      expect(text).toContain(
        'Leads that reached each stage in the period, and the share of them that reached the next',
      );
      expect(text).toContain('one that arrives at the Sales qualified lead stage counts as an MQL too');
    },
  );
});
