import { readFileSync } from 'node:fs';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { type Rep, type Sla, type SlaInput, slaSchema } from '../../lambdas/domain/sla-schema.ts';

/** sla/default.yaml, parsed; throws with the errors when it does not parse. */
export function loadDefaultSla(): Sla {
  const parsed = parseSla(readFileSync(new URL('../../sla/default.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`sla/default.yaml does not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.sla;
}

/** A parsed SLA for tests: the given sections over a minimal valid file (one rep, defaults elsewhere). */
export function makeSla(overrides: Partial<SlaInput> = {}): Sla {
  return slaSchema.parse({
    version: 'test-1',
    routing: { reps: [{ id: 'ann', name: 'Ann', email: 'ann@example.com' }] },
    ...overrides,
  });
}

/** The SLA with every rep out of office for the whole test window: a handoff finds nobody. */
export function everyoneAway(sla: Sla): Sla {
  const away = [{ from: '2026-11-01', to: '2027-01-31' }];
  return {
    ...sla,
    routing: { ...sla.routing, reps: sla.routing.reps.map((rep) => ({ ...rep, outOfOffice: away })) },
  };
}

/** The SLA (default: sla/default.yaml) with one manager out of office from `from` to `to`, with a deputy or none. */
export function managerAway(
  managerId: string,
  away: { readonly from: string; readonly to: string },
  deputy?: string,
  sla: Sla = loadDefaultSla(),
): Sla {
  return {
    ...sla,
    routing: {
      ...sla.routing,
      managers: sla.routing.managers.map((manager) =>
        manager.id === managerId
          ? { ...manager, outOfOffice: [{ ...away }], ...(deputy ? { deputy } : {}) }
          : manager,
      ),
    },
  };
}

/** The SLA (default: sla/default.yaml) with one rep changed: `withRep('jonas', { capacity: 40 })`. */
export function withRep(repId: string, change: Partial<Rep>, sla: Sla = loadDefaultSla()): Sla {
  return {
    ...sla,
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) => (rep.id === repId ? { ...rep, ...change } : rep)),
    },
  };
}

/**
 * The SLA (default: sla/default.yaml) with the guide form (the cold lead's) on single opt-in: its ticked box is
 * the consent, nurture starts at once.
 */
export function guideOnSingleOptIn(sla: Sla = loadDefaultSla()): Sla {
  return {
    ...sla,
    forms: sla.forms.map((form) =>
      form.id === 'efficiency-guide' ? { ...form, consent: 'single' as const } : form,
    ),
  };
}

/** German words for the default SLA's forms (names and consent texts), as a German team writes them. */
const GERMAN_FORMS: Readonly<Record<string, string>> = {
  'demo-request': 'Demo buchen',
  'quote-request': 'Angebot anfordern',
  'service-request': 'Serviceanfrage',
  'efficiency-guide': 'Leitfaden Druckluft-Effizienz',
  'case-study-download': 'Fallstudie herunterladen',
  newsletter: 'Newsletter-Anmeldung',
};

export const GERMAN_CONSENT_TEXT =
  'Ich möchte nützliche Inhalte per E-Mail erhalten (jederzeit abbestellbar).';

/**
 * A German team's SLA (default: sla/default.yaml): German supported and the default, every rep and manager
 * reading German, the SLA's names in German (the SLA, its sender, forms and their consent texts), a German
 * variant of every nurture template.
 */
export function germanTeam(sla: Sla = loadDefaultSla()): Sla {
  const german = { locale: 'de' };
  return {
    ...sla,
    names: { ...sla.names, de: 'Kessler Industrial – Vereinbarung Marketing und Vertrieb' },
    locales: { default: 'de', supported: ['de', 'en', 'ar'] },
    routing: {
      ...sla.routing,
      reps: sla.routing.reps.map((rep) => ({ ...rep, ...german })),
      managers: sla.routing.managers.map((manager) => ({ ...manager, ...german })),
    },
    nurture: {
      ...sla.nurture,
      senderNames: { ...sla.nurture.senderNames, de: 'Kessler Industrie' },
      templates: sla.nurture.templates.map((template) => ({
        ...template,
        locales: {
          ...template.locales,
          de: {
            subject: 'Druckluft effizient nutzen',
            text: 'Guten Tag {{firstName}},\n\nhier ist unser Leitfaden.',
          },
        },
      })),
    },
    forms: sla.forms.map((form) => ({
      ...form,
      names: { ...form.names, de: GERMAN_FORMS[form.id] ?? form.name ?? form.id },
      consentTexts: { ...form.consentTexts, de: GERMAN_CONSENT_TEXT },
    })),
  };
}
