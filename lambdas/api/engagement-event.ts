/**
 * What POST /leads/{id}/events takes: one engagement event, or `{ "events": [...] }` of up to 100, each checked
 * alone so an error names its field. `leadpact sla explain --events` reads the same (bin/commands/explain.ts).
 */
import * as z from 'zod';
import { cleanText } from '../domain/clean-text.ts';
import { isReservedName, isStorableNumber, ownKeysOnly, STORABLE_NUMBER_MESSAGE } from './http.ts';

/** Stored text is cleaned (clean-text.ts: NFC, one line, no controls or bidi overrides). */
const cleanString = () => z.string().overwrite((value) => cleanText(value));

const scalar = z.union([
  cleanString().max(1000),
  z.number().refine(isStorableNumber, STORABLE_NUMBER_MESSAGE),
  z.boolean(),
]);

export const engagementEventSchema = z
  .object({
    eventId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, '1-100 characters of A-Z a-z 0-9 _ . : -'),
    type: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'snake_case, e.g. page_view'),
    occurredAt: z.iso.datetime({ offset: true, message: 'an ISO-8601 time, e.g. 2026-11-27T10:00:00Z' }),
    properties: ownKeysOnly(
      z
        .record(
          z
            .string()
            .regex(
              /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
              'not a property name: a letter A-Z first, then letters, digits, _ . - (64 at most)',
            )
            .refine(
              (name) => !isReservedName(name),
              'a reserved name (constructor, toString, ...): choose another',
            ),
          scalar,
        )
        .refine((p) => Object.keys(p).length <= 20, 'at most 20 properties'),
    ).optional(),
    contentTags: z.array(cleanString().trim().min(1).max(64)).max(10).optional(),
  })
  .strict();

export const batchSchema = z
  .object({ events: z.array(engagementEventSchema).min(1).max(100, 'at most 100 events per request') })
  .strict();

/** `{ "events": [...] }` is a batch, anything else one event: each validated alone, so errors name the field. */
export const isBatch = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && !Array.isArray(data) && 'events' in data;
