import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { engagementScore } from '../lambdas/domain/engagement.ts';
import { isoTimeMs } from '../lambdas/domain/iso-time.ts';
import { parseSla } from '../lambdas/domain/sla-file.ts';

const p = parseSla(readFileSync('sla/default.yaml', 'utf8'));
if (!p.ok) throw 1;
const sla = p.sla;
const AT = new Date('2026-03-02T10:00:00.000Z');
const mk = (ids: boolean) =>
  Array.from({ length: 50 }, (_, i) => ({
    ...(ids ? { eventId: 'e' + i } : {}),
    type: ['page_view', 'email_click', 'pricing_page_view', 'content_download', 'webinar_attended'][i % 5]!,
    occurredAt: new Date(AT.getTime() - (50 - i) * 86400000).toISOString(),
    contentTags: i % 5 === 3 ? ['case-study'] : undefined,
  }));
const a = mk(true),
  b = mk(false),
  c = [...a].reverse();
function time(name: string, f: () => unknown) {
  for (let i = 0; i < 20000; i++) f();
  const s = performance.now();
  let n = 0;
  while (performance.now() - s < 500) {
    for (let i = 0; i < 1000; i++) f();
    n += 1000;
  }
  console.log(name, (((performance.now() - s) * 1000) / n).toFixed(2), 'µs');
}
time('iso x50', () => {
  let s = 0;
  for (const e of a) s += isoTimeMs(e.occurredAt);
  return s;
});
time('engagement ids', () => engagementScore(sla, a, AT));
time('engagement no ids', () => engagementScore(sla, b, AT));
time('engagement reversed', () => engagementScore(sla, c, AT));
