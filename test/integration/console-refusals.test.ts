/**
 * The console's refusals of a form, in the reader's language, over real HTTP on the local runtime: each names the
 * field by the form's label and says why, with the SLA's names in that language and a time on the reader's clock,
 * worded from the refusal's data (domain/refusal.ts), never from the API's English. Carla (Chicago) and her
 * manager Dan read Arabic here; Jonas (Berlin) reads English.
 */
import { describe, expect, it } from 'vitest';
import { formatFullTime } from '../../lambdas/domain/email-templates.ts';
import type { Sla } from '../../lambdas/domain/sla-schema.ts';
import { consoleFetch, csrfOf, signIn, textOf } from '../support/console.ts';
import { MINUTE, SQL_LEAD, T0, useLocalApi } from '../support/local-api.ts';
import { loadDefaultSla } from '../support/sla.ts';

/** Carla and her manager Dan read Arabic; everyone else the SLA's default, English. */
function carlaAndDanReadArabic(): Sla {
  const sla = loadDefaultSla();
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) => (rep.id === 'carla' ? { ...rep, locale: 'ar' } : rep)),
      managers: sla.routing.managers.map((manager) =>
        manager.id === 'dan' ? { ...manager, locale: 'ar' } : manager,
      ),
    },
  };
}

const api = useLocalApi({ sla: carlaAndDanReadArabic(), eventsOff: true });

const CARLA = 'carla.ruiz@kessler-industrial.example';
const DAN = 'dan.whitaker@kessler-industrial.example';
const JONAS = 'jonas.berger@kessler-industrial.example';

let minute = 0;
/** Each case in its own minute: sign-in mails one link per person per minute. */
function freshMinute(): void {
  minute += 2;
  api.clock.set(new Date(T0.getTime() + minute * MINUTE));
}

/** The lead's start on the person's clock, as the form's "When" (datetime-local) reads it. */
function onTheClockOf(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' })
    .format(at)
    .replace(' ', 'T');
}

interface Refused {
  readonly leadId: string;
  readonly handedOffAt: Date;
  readonly status: number;
  readonly text: string;
}

type Post = (leadId: string, handedOffAt: Date) => { path: string; form: Record<string, string> };

const attemptBeforeHandoff: Post = (leadId, handedOffAt) => ({
  path: `/console/leads/${leadId}/attempts`,
  form: {
    outcome: 'no-answer',
    attemptId: 'early-1',
    at: onTheClockOf('America/Chicago', new Date(handedOffAt.getTime() - 60 * MINUTE)),
  },
});
const attemptInFuture: Post = (leadId) => ({
  path: `/console/leads/${leadId}/attempts`,
  form: {
    outcome: 'no-answer',
    // an email: the refusal names the time it was sent, not a call's (ADR 0087)
    channel: 'email',
    attemptId: 'late-1',
    at: onTheClockOf('America/Chicago', new Date(api.clock.now().getTime() + 120 * MINUTE)),
  },
});
const unknownStage: Post = (leadId) => ({
  path: `/console/leads/${leadId}/deal`,
  form: { stage: 'signed-in-blood' },
});
const statusNotForReps: Post = (leadId) => ({
  path: `/console/leads/${leadId}/status`,
  form: { status: 'won' },
});
const nameTooLong: Post = (leadId) => ({
  path: `/console/leads/${leadId}/fields`,
  form: { firstName: 'P'.repeat(101) },
});
const reassignOutOfTeam: Post = (leadId) => ({
  path: `/console/leads/${leadId}/owner`,
  form: { owner: 'jonas' },
});

describe('a refused console form says why in the reader’s language', () => {
  async function refuse(owner: string, reader: string, post: Post): Promise<Refused> {
    freshMinute();
    const leadId = await api.createLead({
      email: api.uniqueEmail(`refused-${owner}`),
      firstName: 'Petra',
      lastName: 'Refused',
      company: 'Refused GmbH',
      ...SQL_LEAD,
    });
    await api.handOff(leadId, owner);
    api.clock.advance(3 * 60 * MINUTE);
    const handedOffAt = new Date((await api.runtime.deps.store.getLead(leadId))!.handedOffAt!);
    const cookie = await signIn(api.runtime, reader);
    const csrf = csrfOf(
      (await consoleFetch(api.runtime, 'GET', `/console/leads/${leadId}`, { cookie })).text,
    );
    const { path, form } = post(leadId, handedOffAt);
    const answer = await consoleFetch(api.runtime, 'POST', path, { cookie, form: { ...form, csrf } });
    return { leadId, handedOffAt, status: answer.status, text: textOf(answer.text) };
  }

  it.each([
    [
      'Carla: an attempt before the handoff, the handoff on her clock in Arabic',
      'carla',
      CARLA,
      attemptBeforeHandoff,
      422,
      (at: Date) =>
        `الوقت : قبل إسناد العميل المحتمل (${formatFullTime(at, 'America/Chicago', 'ar')}): تُحتسب محاولات التواصل من وقت الإسناد`,
    ],
    [
      'Jonas: an attempt before the handoff, the handoff on his clock in English',
      'jonas',
      JONAS,
      attemptBeforeHandoff,
      422,
      (at: Date) =>
        `When : before the lead was handed off (${formatFullTime(at, 'Europe/Berlin')}): contact attempts count from the handoff`,
    ],
    [
      'Carla: an email in the future',
      'carla',
      CARLA,
      attemptInFuture,
      422,
      () => 'الوقت : وقت في المستقبل: أدخل وقت إرسال رسالة البريد الإلكتروني، الآن أو قبله',
    ],
    [
      'Carla: a deal stage the SLA does not have, its stages named in Arabic',
      'carla',
      CARLA,
      unknownStage,
      422,
      () => 'مرحلة صفقة غير معروفة؛ مراحل الاتفاقية: ',
    ],
    [
      'Carla: a status reps may not set, named in Arabic',
      'carla',
      CARLA,
      statusNotForReps,
      422,
      () => 'لا يمكن للمندوبين تعيين الحالة «\u2068ربح - عميل\u2069»',
    ],
    [
      'Carla: a first name over its limit',
      'carla',
      CARLA,
      nameTooLong,
      400,
      () => 'الاسم الأول : الحد الأقصى 100 من الأحرف',
    ],
    [
      'Dan: a reassignment to another team’s rep',
      'carla',
      DAN,
      reassignOutOfTeam,
      422,
      () => '\u2068Jonas Berger\u2069 خارج فريقك',
    ],
  ])('%s', async (_case, owner, reader, post, status, expected) => {
    // Act
    const refused = await refuse(owner, reader, post);

    // Assert
    expect(refused.status, refused.text).toBe(status);
    expect(refused.text).toContain(expected(refused.handedOffAt));
    expect(refused.text).not.toContain('قيمة غير صالحة');
    expect(refused.text).not.toContain(refused.handedOffAt.toISOString());
  });
});
