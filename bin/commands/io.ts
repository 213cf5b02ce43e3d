import { readFileSync } from 'node:fs';

/** Where a command writes and reads, so tests run commands in process. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): string;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  readFile: (path) => readFileSync(path, 'utf8'),
};

export const DEFAULT_SLA_FILE = 'sla/default.yaml';

/** Reads a file or explains in one line why it cannot. */
export function readInput(io: CliIo, path: string, what: string): string {
  try {
    return io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `cannot read ${what} "${path}"${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`,
    );
  }
}
