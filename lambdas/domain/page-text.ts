/**
 * LeadPact's own words on the pages a lead opens from an email (unsubscribe), per shipped language
 * (locale.ts); the SLA's sender name is passed in. Pure.
 */
import type { ShippedLanguage } from './locale.ts';

export interface UnsubscribeText {
  readonly question: (sender: string) => string;
  readonly consequence: (sender: string) => string;
  readonly button: string;
  readonly done: string;
}

const UNSUBSCRIBE: Readonly<Record<ShippedLanguage, UnsubscribeText>> = {
  en: {
    question: (sender) => `Unsubscribe from ${sender}?`,
    consequence: (sender) => `You will get no more marketing emails from ${sender}.`,
    button: 'Unsubscribe',
    done: 'You are unsubscribed',
  },
  ar: {
    question: (sender) => `إلغاء الاشتراك في رسائل ${sender}؟`,
    consequence: (sender) => `لن تصلك بعد الآن رسائل تسويقية من ${sender}.`,
    button: 'إلغاء الاشتراك',
    done: 'تم إلغاء اشتراكك',
  },
};

export function unsubscribeText(language: ShippedLanguage): UnsubscribeText {
  return UNSUBSCRIBE[language];
}
