/**
 * The IAM profile `leadpact dev --iam enforce` runs with: every function's role statements and
 * environment from the stack `cdk synth` would deploy (lib/, cdk.json context), synthesized in process
 * without bundling. Synthesis takes seconds (aws-cdk-lib), so the profile is cached under
 * node_modules/.cache/leadpact/, keyed by a hash of everything the template is made from (lib/, the
 * Lambda entry points, the ASL file, sla/, cdk.json, package-lock.json): a
 * change to any of them synthesizes again. Only bin/ imports lib/.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type IamProfile, iamProfileFromTemplate } from '../../local/iam/profile.ts';
import type { CfnTemplate } from '../../local/iam/template-policy.ts';
import { LOCAL_SENDER, LOCAL_TABLE } from '../../local/runtime.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
/**
 * What the synthesized template is made of: the CDK app and every file it imports (lib/ imports lambdas/: the
 * table's indexes, the routes and their groups, the environment; test/cdk/iam-profile-cache.test.ts checks
 * that every import is covered). A change to any of them synthesizes again.
 */
export const TEMPLATE_SOURCES = [
  'lib',
  'lambdas',
  'local/iam',
  'statemachines',
  'sla',
  'bin/leadpact.ts',
  'bin/commands/io.ts',
  'bin/commands/validate.ts',
  'cdk.json',
  'package-lock.json',
];

export interface LoadedProfile {
  readonly profile: IamProfile;
  /** 'cache' or 'synthesized' */
  readonly from: 'cache' | 'synthesized';
  readonly ms: number;
}

function filesUnder(path: string): string[] {
  try {
    return readdirSync(path, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
  } catch {
    return [path];
  }
}

/** The hash of every input of the template (file names and contents). */
export function templateInputsHash(): string {
  const hash = createHash('sha256');
  for (const source of TEMPLATE_SOURCES) {
    for (const file of filesUnder(join(ROOT, source))) {
      hash.update(relative(ROOT, file));
      try {
        hash.update(readFileSync(file));
      } catch {
        hash.update('missing');
      }
    }
  }
  return hash.digest('hex').slice(0, 24);
}

/** Synthesizes the stack (no bundling) and extracts the profile; `context` over cdk.json's (tests). */
export async function synthesizeIamProfile(context: Record<string, unknown> = {}): Promise<IamProfile> {
  const [{ App }, { buildApp }, { cdkJsonContext }] = await Promise.all([
    import('aws-cdk-lib'),
    import('../leadpact.ts'),
    import('../../lib/config.ts'),
  ]);
  const app = new App({ context: { ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': [] } });
  const { stack } = buildApp(app);
  const template = app.synth({ validateOnSynthesis: false }).getStackByName(stack.stackName)
    .template as CfnTemplate;
  const functions = Object.fromEntries(
    Object.entries(stack.functions()).map(([name, fn]) => [
      name,
      {
        functionId: stack.getLogicalId(fn.function.node.defaultChild as never),
        roleId: (stack.resolve(fn.role.roleName) as { Ref: string }).Ref,
      },
    ]),
  );
  return iamProfileFromTemplate(template, functions, { tableName: LOCAL_TABLE, localSender: LOCAL_SENDER });
}

/** The cached profile for the current sources, or a fresh synthesis (then cached). */
export async function loadIamProfile(onSynthesize?: () => void): Promise<LoadedProfile> {
  const started = performance.now();
  const dir = join(ROOT, 'node_modules', '.cache', 'leadpact');
  const file = join(dir, `iam-profile-${templateInputsHash()}.json`);
  try {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as IamProfile;
    return { profile, from: 'cache', ms: performance.now() - started };
  } catch {
    // not cached yet (or unreadable): synthesize
  }
  onSynthesize?.();
  const profile = await quietly(synthesizeIamProfile);
  try {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(profile));
    renameSync(temp, file);
  } catch {
    // a read-only checkout: run without the cache
  }
  return { profile, from: 'synthesized', ms: performance.now() - started };
}

/** cdk-nag and CDK print findings and warnings while synthesizing: dev's output is not the place */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stderr.write;
  const log = console.log;
  const warn = console.warn;
  process.stderr.write = (() => true) as typeof write;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    return await work();
  } finally {
    process.stderr.write = write;
    console.log = log;
    console.warn = warn;
  }
}
