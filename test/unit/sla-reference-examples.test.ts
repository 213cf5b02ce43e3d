/**
 * docs/sla-reference.md as an ops person uses it: every ```yaml example, copied into a full SLA (the
 * worked example, sla/default.yaml), validates as `leadpact sla validate` does (parseSla). An example
 * names part of a section: its lists merge into the worked example's by `id` (a new id adds an entry,
 * a known id changes that entry), its maps key by key, anything else replaces. Two examples need the
 * context their first line gives: the conditions fragment goes where it says conditions go (the `match`
 * of a lead type put first), and the migrations example is the SLA after the change its comment names.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { main } from '../../bin/cli.ts';
import { type CliIo, processIo } from '../../bin/commands/io.ts';
import { parseSla } from '../../lambdas/domain/sla-file.ts';
import { PROJECT_ROOT } from '../../lib/paths.ts';

type Yaml = unknown;
type Mapping = Record<string, Yaml>;

const reference = readFileSync(join(PROJECT_ROOT, 'docs/sla-reference.md'), 'utf8');
const workedExampleText = readFileSync(join(PROJECT_ROOT, 'sla/default.yaml'), 'utf8');

const examples = [...reference.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((match) => ({
  line: reference.slice(0, match.index).split('\n').length,
  text: match[1]!,
}));

function isMapping(value: Yaml): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasIds(list: readonly Yaml[]): boolean {
  return list.every((item) => isMapping(item) && typeof item.id === 'string');
}

/** The worked example with `part` written into it (see the header). */
function merge(whole: Yaml, part: Yaml): Yaml {
  if (Array.isArray(whole) && Array.isArray(part) && hasIds(whole) && hasIds(part)) {
    const byId = (list: readonly Yaml[], id: Yaml) => list.find((item) => (item as Mapping).id === id);
    const merged = whole.map((item) => {
      const changed = byId(part, (item as Mapping).id);
      return changed === undefined ? item : merge(item, changed);
    });
    return [...merged, ...part.filter((item) => byId(whole, (item as Mapping).id) === undefined)];
  }
  if (isMapping(whole) && isMapping(part)) {
    const merged: Mapping = { ...whole };
    for (const [key, value] of Object.entries(part))
      merged[key] = key in whole ? merge(whole[key], value) : value;
    return merged;
  }
  return part;
}

/** The worked example after "Jonas left, discovery became qualification" (the migrations example's line). */
function withoutJonasAndDiscovery(sla: Mapping): Mapping {
  const routing = sla.routing as Mapping;
  const deals = sla.deals as Mapping;
  return {
    ...sla,
    routing: {
      ...routing,
      reps: (routing.reps as Mapping[]).filter((rep) => rep.id !== 'jonas'),
      queues: (routing.queues as Mapping[]).map((queue) => ({
        ...queue,
        reps: (queue.reps as string[]).filter((rep) => rep !== 'jonas'),
      })),
      accounts: (routing.accounts as Mapping[]).map((account) =>
        account.owner === 'jonas' ? { ...account, owner: 'lena' } : account,
      ),
    },
    deals: {
      ...deals,
      stages: (deals.stages as Mapping[]).map((stage) =>
        stage.id === 'discovery' ? { ...stage, id: 'qualification' } : stage,
      ),
    },
  };
}

/** The full SLA an example makes, as text. */
function slaWith(example: string): string {
  const workedExample = parse(workedExampleText) as Mapping;
  const part = parse(example) as Yaml;
  if (example.startsWith('# fragment: conditions'))
    return stringify({
      ...workedExample,
      // first: the worked example's last type is its catch-all
      leadTypes: [
        { id: 'conditions-example', name: 'Conditions example', match: { any: part } },
        ...(workedExample.leadTypes as Mapping[]),
      ],
    });
  if (example.includes('Jonas left, discovery became qualification'))
    return stringify(merge(withoutJonasAndDiscovery(workedExample), part));
  return stringify(merge(workedExample, part));
}

/**
 * The transcripts of the reference: in a ``` block, each `$ npx leadpact ...` line and the lines it
 * printed, up to the next `$` line. A `...` line stands for lines left out.
 */
const transcripts = [...reference.matchAll(/^```\n(\$ npx leadpact [\s\S]*?)^```/gm)].flatMap((match) =>
  match[1]!
    .split(/^(?=\$ )/m)
    .map((part) => part.trimEnd().split('\n'))
    .map(([command, ...printed]) => ({
      argv: command!.replace('$ npx leadpact ', '').split(' '),
      printed,
    })),
);

async function leadpact(argv: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => out.push(text),
    readFile: processIo.readFile,
  };
  await main([...argv], io);
  return out.join('\n').split('\n');
}

describe('docs/sla-reference.md transcripts', () => {
  it('has its transcripts', () => {
    expect(transcripts.length).toBeGreaterThanOrEqual(4);
  });

  it.each(transcripts.map((transcript) => [transcript.argv.join(' '), transcript] as const))(
    '`leadpact %s` prints what the reference shows',
    async (_command, { argv, printed }) => {
      // Act
      const lines = await leadpact(argv);
      // Assert: the lines before the first "..." start the output, those after the last end it
      const head = printed.includes('...') ? printed.slice(0, printed.indexOf('...')) : printed;
      const tail = printed.includes('...') ? printed.slice(printed.lastIndexOf('...') + 1) : [];
      expect(lines.slice(0, head.length)).toEqual(head);
      expect(lines.slice(lines.length - tail.length)).toEqual(tail);
      if (!printed.includes('...')) expect(lines).toEqual(printed);
    },
  );
});

describe('docs/sla-reference.md examples', () => {
  const slaExamples = examples.filter((example) => !example.text.startsWith('# yaml-language-server'));

  it('has its examples (the section list of the reference, roughly)', () => {
    expect(slaExamples.length).toBeGreaterThan(20);
  });

  it.each(slaExamples.map((example) => [example.line, example.text] as const))(
    'the example at line %i validates in a full SLA',
    (_line, text) => {
      // Arrange
      const sla = slaWith(text);
      // Act
      const result = parseSla(sla);
      // Assert
      expect(result.ok ? [] : result.errors.map((error) => `${error.path}: ${error.message}`)).toEqual([]);
    },
  );

  it('the smallest valid file (Conventions) validates on its own', () => {
    // Arrange: the example indented under its list item
    const block = /\*\*The smallest valid file\*\*[\s\S]*?\n( *)```yaml\n([\s\S]*?)\n\1```/.exec(reference);
    const text = block![2]!.replace(new RegExp(`^${block![1]}`, 'gm'), '');
    // Act
    const result = parseSla(text);
    // Assert
    expect(result.ok ? [] : result.errors.map((error) => `${error.path}: ${error.message}`)).toEqual([]);
  });

  it('the editor-support line is the first line of sla/default.yaml, as it says', () => {
    const editorLine = examples.find((example) => example.text.startsWith('# yaml-language-server'));
    expect(editorLine?.text.trim()).toBe(workedExampleText.split('\n')[0]);
  });
});
