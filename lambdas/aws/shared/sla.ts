/**
 * The SLA a function runs: the file the stack validated at synth (with the parser `leadpact sla validate`
 * uses), bundled into the function as the parsed SLA in JSON, deflated (esbuild `define`, lib/leadpact-function.ts).
 * Init reads it with JSON.parse (~1 ms) instead of parsing YAML and the schema again (~75 ms measured, and
 * the YAML parser in every bundle). Synth checks the parsed SLA survives JSON unchanged (lib/config.ts).
 */
import type { Sla } from '../../domain/sla-schema.ts';
import { decodeBundledSla } from './sla-define.ts';

// replaced by esbuild with a string literal: the parsed SLA as JSON, deflated (sla-define.ts); undefined outside a bundle
declare const __LEADPACT_SLA__: string | undefined;

export function bundledSla(): Sla {
  if (typeof __LEADPACT_SLA__ === 'undefined') {
    throw new Error('no SLA in this bundle: the CDK stack bundles it (lib/leadpact-function.ts, slaJson)');
  }
  return decodeBundledSla(__LEADPACT_SLA__);
}
