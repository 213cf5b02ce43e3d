/**
 * An attempt named by its channel (ADR 0087): the words the console's and the one-click links' "Logged already?"
 * pages ask with, and a future time is refused with, so that an email is never called a call. One place for them,
 * in every language they are read in: the console's (en, ar) and the links' pages (en, de, ar). Without a channel
 * (an attempt logged through the API, a manager's link, or two channels that disagree): an attempt. Pure: data only.
 */
import type { ShippedLanguage } from './locale.ts';

/**
 * `again`: the question whether the rep made another one ("Did you write again?"); `same`: the attempt itself after
 * "the same" (en: "email"), or with its "same" in it where the language puts it there (ar: "رسالة البريد الإلكتروني
 * نفسها", de: "dieselbe E-Mail", the article agreeing with the noun).
 */
export interface AttemptWords {
  readonly again: string;
  readonly same: string;
}

/** A channel's entry of a table of words by channel, if it is one. */
const byChannel = <T>(table: Readonly<Record<string, T>>, channel: string | undefined): T | undefined =>
  channel !== undefined && Object.hasOwn(table, channel) ? table[channel] : undefined;

const ATTEMPT_WORDS: Readonly<Record<ShippedLanguage, Readonly<Record<string, AttemptWords>>>> = {
  en: {
    phone: { again: 'Did you call again?', same: 'call' },
    email: { again: 'Did you write again?', same: 'email' },
    linkedin: { again: 'Did you send another LinkedIn message?', same: 'LinkedIn message' },
    sms: { again: 'Did you send another SMS?', same: 'SMS' },
    video: { again: 'Did you have another video call?', same: 'video call' },
  },
  de: {
    phone: { again: 'Haben Sie noch einmal angerufen?', same: 'derselbe Anruf' },
    email: { again: 'Haben Sie noch eine E-Mail geschrieben?', same: 'dieselbe E-Mail' },
    linkedin: {
      again: 'Haben Sie noch eine LinkedIn-Nachricht geschickt?',
      same: 'dieselbe LinkedIn-Nachricht',
    },
    sms: { again: 'Haben Sie noch eine SMS geschickt?', same: 'dieselbe SMS' },
    video: { again: 'Hatten Sie noch einen Videoanruf?', same: 'derselbe Videoanruf' },
  },
  ar: {
    phone: { again: 'هل اتصلت مرة أخرى؟', same: 'المكالمة نفسها' },
    email: { again: 'هل كتبت رسالة بريد إلكتروني أخرى؟', same: 'رسالة البريد الإلكتروني نفسها' },
    linkedin: { again: 'هل أرسلت رسالة أخرى عبر لينكدإن؟', same: 'رسالة لينكدإن نفسها' },
    sms: { again: 'هل أرسلت رسالة نصية أخرى؟', same: 'الرسالة النصية نفسها' },
    video: { again: 'هل أجريت مكالمة فيديو أخرى؟', same: 'مكالمة الفيديو نفسها' },
  },
};

/** An attempt of no known channel. */
const ANY_ATTEMPT: Readonly<Record<ShippedLanguage, AttemptWords>> = {
  en: { again: 'Did you try again?', same: 'attempt' },
  de: { again: 'Haben Sie es noch einmal versucht?', same: 'derselbe Versuch' },
  ar: { again: 'هل حاولت التواصل مرة أخرى؟', same: 'المحاولة نفسها' },
};

/** The words for an attempt by `channel` (a CHANNELS id) in `language`; none or an unknown one: an attempt. */
export function attemptWords(language: ShippedLanguage, channel: string | undefined): AttemptWords {
  return byChannel(ATTEMPT_WORDS[language], channel) ?? ANY_ATTEMPT[language];
}

/** How an attempt by a channel is made, after "give the time the" / "وقت": "email was sent", "إرسال رسالة ...". */
const MADE: Readonly<Record<'en' | 'ar', Readonly<Record<string, string>>>> = {
  en: {
    phone: 'call was made',
    email: 'email was sent',
    linkedin: 'LinkedIn message was sent',
    sms: 'SMS was sent',
    video: 'video call was made',
  },
  ar: {
    phone: 'إجراء المكالمة',
    email: 'إرسال رسالة البريد الإلكتروني',
    linkedin: 'إرسال رسالة لينكدإن',
    sms: 'إرسال الرسالة النصية',
    video: 'إجراء مكالمة الفيديو',
  },
};

const ANY_MADE = { en: 'attempt was made', ar: 'إجراء المحاولة' } as const;

/** How an attempt by `channel` was made (the console's and the API's refusal of a future time); none: an attempt. */
export function attemptMade(language: 'en' | 'ar', channel: string | undefined): string {
  return byChannel(MADE[language], channel) ?? ANY_MADE[language];
}
