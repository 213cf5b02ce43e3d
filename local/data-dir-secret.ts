/**
 * The keys a data directory keeps (`leadpact dev --data DIR`): `lead-id-secret` (a lead's id is an HMAC of its
 * email under it: ADR 0002) and `action-secret` (sign-in links, sessions, one-click action links). They must stay
 * what they were for the store beside them: under another lead-id key a known person's next form post is a
 * second lead (two SQLs, two reps), and every link in a sent email stops working.
 *
 * So a key file is made once, with a new store, and afterwards only read. A file that is empty or holds
 * anything but a key, or a file missing beside a store that was made with it, stops the start with one line
 * naming the file and the ways out, instead of a 500 on every form post (an empty key) or a silent new key (a
 * lost or damaged file). An environment variable (LEADPACT_LEAD_ID_SECRET, LEADPACT_ACTION_SECRET) wins over the
 * file, as before.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.ts';

/** what LeadPact writes: 32 random bytes, base64url (43 characters); a key set by hand may be longer */
const KEY = /^[A-Za-z0-9_-]{32,}$/;

export interface DataDirSecretOptions {
  /** the data directory; none: a new key for this run */
  readonly dataDir: string | undefined;
  /** the file's name in it, e.g. lead-id-secret */
  readonly name: string;
  /** the environment variable that overrides the file */
  readonly env: string;
  /** the data directory held a store before this start (its keys were made with it) */
  readonly storeExisted: boolean;
}

export async function dataDirSecret(options: DataDirSecretOptions): Promise<string> {
  const { dataDir, name, env, storeExisted } = options;
  const fromEnv = process.env[env];
  if (fromEnv) return fromEnv;
  if (!dataDir) return randomBytes(32).toString('base64url');
  const file = join(dataDir, name);
  const ways = `restore the file from a backup (or set ${env} to the key), or start with a new --data`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (storeExisted)
      throw new Error(
        `${file} is missing, but the store in ${dataDir} was made with it: ${consequence(name)}. Nothing was started: ${ways}`,
      );
    const value = randomBytes(32).toString('base64url');
    await writeFileAtomic(file, value, { mode: 0o600 });
    return value;
  }
  const value = text.trim();
  if (!KEY.test(value))
    throw new Error(
      `${file} is damaged (${value.length === 0 ? 'empty' : `${value.length} characters that are not a key`}): ${consequence(name)}. Nothing was started: ${ways}`,
    );
  return value;
}

function consequence(name: string): string {
  return name === 'lead-id-secret'
    ? 'with another key every known person would become a new lead, and the links in sent emails would stop working'
    : 'with another key the sign-in and action links in sent emails, and every console session, would stop working';
}
