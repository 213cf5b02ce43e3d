/**
 * A newcomer runs the docs' commands as printed, from a fresh clone: every file of the repository a
 * ```sh block names (`@examples/leads/hot.json`, `sla/next.yaml`, `test/fixtures/...`) is there, or the
 * same block makes it first (`cp a b`, `... > b`). A command naming a file nobody has answers
 * "cannot read SLA file" instead of showing what it is for. And every shell variable a command reads
 * (`$API`, `$TOKEN`) is set by a command of the same page: `--url $API` with API unset is
 * `--url --token ...`, which the CLI refuses as "ambiguous".
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/paths.ts';

const REPO_DIRS = [
  'sla',
  'examples',
  'test',
  'docs',
  'lib',
  'bin',
  'statemachines',
  'lambdas',
  'local',
  'bench',
];
const PATH = new RegExp(`(?<![\\w./-])@?((?:${REPO_DIRS.join('|')})/[\\w./-]+\\.[a-z]+)`, 'g');

const docs = [
  'README.md',
  ...readdirSync(join(PROJECT_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** Each ```sh block's lines, with where it is. */
function shellBlocks(file: string): { line: number; lines: string[] }[] {
  const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
  return [...text.matchAll(/^```(?:sh|bash)\n([\s\S]*?)^```/gm)].map((match) => ({
    line: text.slice(0, match.index).split('\n').length,
    lines: match[1]!.split('\n'),
  }));
}

/** The repository files a block names that neither exist nor are made by an earlier line of it. */
function missingIn(lines: readonly string[]): string[] {
  const made = new Set<string>();
  const missing: string[] = [];
  for (const line of lines) {
    const command = line.replace(/\s+#.*$/, '');
    const copied = /^\s*cp\s+\S+\s+(\S+)/.exec(command)?.[1];
    const written = />\s*(\S+)\s*$/.exec(command)?.[1];
    for (const target of [copied, written]) if (target) made.add(target);
    for (const [, path] of command.matchAll(PATH))
      if (!made.has(path!) && !existsSync(join(PROJECT_ROOT, path!))) missing.push(path!);
  }
  return missing;
}

describe('the files the docs’ commands name', () => {
  it.each(docs)('%s: every repository file its commands name is there, or made before', (file) => {
    // Arrange
    const blocks = shellBlocks(file);
    // Act
    const missing = blocks.flatMap((block) =>
      missingIn(block.lines).map((path) => `${file}:${block.line} ${path}`),
    );
    // Assert
    expect(missing).toEqual([]);
  });
});

/** Variables the environment gives (AWS CLI credentials and region), not the page. */
const FROM_THE_ENVIRONMENT = /^AWS_/;

describe('the shell variables the docs’ commands read', () => {
  it.each(docs)('%s: each is set by a command of the page', (file) => {
    // Arrange
    const commands = shellBlocks(file).flatMap((block) =>
      block.lines.map((line) => line.replace(/\s+#.*$/, '')),
    );
    // Act
    const set = new Set(
      commands.flatMap((line) =>
        [...line.matchAll(/(?:^|[\s;(])(?:export\s+)?([A-Z_][A-Z0-9_]*)=/g)].map((m) => m[1]!),
      ),
    );
    const read = new Set(
      commands.flatMap((line) => [...line.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!)),
    );
    // Assert
    expect([...read].filter((name) => !set.has(name) && !FROM_THE_ENVIRONMENT.test(name))).toEqual([]);
  });
});
