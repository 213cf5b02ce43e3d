/**
 * The SLA as the bundles carry it (esbuild `define`, lib/leadpact-function.ts): the parsed SLA's JSON,
 * deflated and in base64. esbuild takes a define on its command line, where Linux refuses one argument over
 * 128 KB: the JSON itself passed that at ~130 KB of SLA (900 reps), and synth failed with `spawnSync npx
 * E2BIG`; deflated, an SLA ~8 times that size fits. Inflating it at init is ~1 ms (zlib is loaded by the SDK).
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Sla } from '../../domain/sla-schema.ts';

/** The most a define's text may take (its name and quotes besides): Linux's limit on one argument is 128 KiB. */
export const MAX_BUNDLED_SLA_CHARS = 120 * 1024;

export function encodeBundledSla(slaJson: string): string {
  return deflateRawSync(Buffer.from(slaJson, 'utf8'), { level: 9 }).toString('base64');
}

export function decodeBundledSla(encoded: string): Sla {
  return JSON.parse(inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8')) as Sla;
}
