/** Types of bin/usage.js (plain JavaScript, so the executable prints usage without loading TypeScript). */
export declare const SLA_USAGE: string;
export declare const DEV_USAGE: string;
export declare const SIMULATE_USAGE: string;
export declare const USAGE: string;
export declare function usageFor(
  argv: readonly string[],
  version: () => string,
): { text: string; code: number; stream: 'out' | 'err' } | undefined;
