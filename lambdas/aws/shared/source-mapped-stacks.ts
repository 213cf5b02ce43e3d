/**
 * Stack traces that point at the TypeScript source, paid for only when a stack is read.
 *
 * `NODE_OPTIONS=--enable-source-maps` reads and parses the bundle's source map and measures every line
 * of the bundle while the bundle loads: ~5-9 ms of every cold start here, for traces that most
 * invocations never print (docs/decisions/0026-lambda-init-budget.md). Instead, every entry point in
 * lambdas/aws/ imports this module first; it installs `Error.prepareStackTrace`, which V8 calls the first
 * time an error's `stack` is read, and which reads `index.mjs.map` beside the bundle then (once per
 * container) and rewrites each frame in the bundle to `lambdas/…/file.ts:line:column`.
 *
 * Outside a bundle (tsx, tests) or when Node maps stacks itself (`--enable-source-maps`) it does nothing.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

type CallSite = NodeJS.CallSite;

/** Installs the lazy mapping for the bundle at `bundleUrl`; false when there is nothing to do. */
export function installSourceMappedStacks(bundleUrl: string = import.meta.url): boolean {
  if (!bundleUrl.endsWith('.mjs') || process.sourceMapsEnabled) return false;
  let map: SourceMap | null | undefined;
  const loadMap = (): SourceMap | null => {
    if (map !== undefined) return map;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(bundleUrl)}.map`, 'utf8')));
    } catch {
      map = null;
    }
    return map;
  };
  let formatting = false;
  Error.prepareStackTrace = (error: unknown, callSites: CallSite[]): string => {
    const head = describe(error);
    if (formatting) return [head, ...callSites.map((site) => `    at ${site}`)].join('\n');
    formatting = true;
    try {
      const frames = callSites.map((site) => `    at ${mapFrame(site, bundleUrl, loadMap)}`);
      return [head, ...frames].join('\n');
    } finally {
      formatting = false;
    }
  };
  return true;
}

/** `Name: message`, as V8 heads a stack. */
function describe(error: unknown): string {
  try {
    return String(error);
  } catch {
    return '<error>';
  }
}

/** One frame as V8 prints it, its location in the bundle replaced by the source's. */
function mapFrame(site: CallSite, bundleUrl: string, loadMap: () => SourceMap | null): string {
  const text = String(site);
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if ((file !== bundleUrl && file !== fileURLToPath(bundleUrl)) || line === null || column === null) {
    return text;
  }
  const map = loadMap();
  const entry = map?.findEntry(line - 1, column - 1) as
    | { originalSource?: string; originalLine?: number; originalColumn?: number }
    | undefined;
  if (!entry?.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined) {
    return text;
  }
  // esbuild writes sources relative to the map: keep the project's part (lambdas/…, node_modules/…)
  const source = entry.originalSource
    .replace(/^file:\/\//, '')
    .replace(/^(\.\.\/)+/, '')
    .replace(/^.*?(?=node_modules\/|lambdas\/)/, '');
  return text.replace(
    `${file}:${line}:${column}`,
    `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`,
  );
}

installSourceMappedStacks();
