/**
 * Runs a command to its end asynchronously (a blocking spawn would stall any server in this process) and
 * collects its output. No vitest import: bench/ uses it too.
 */
import { type ChildProcess, type SpawnOptionsWithoutStdio, spawn } from 'node:child_process';

export interface ProcessResult {
  /** the exit code; null when a signal ended the process */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: SpawnOptionsWithoutStdio = {},
): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A `leadpact dev` child process, listening. */
export interface RunningDev {
  readonly child: ChildProcess;
  /** the API's URL, as the start-up output prints it */
  readonly url: string;
  readonly exited: Promise<void>;
}

/**
 * Starts `leadpact dev` with these arguments (and `--port 0`) as a child process a test can SIGKILL, and
 * resolves once it prints its API URL (rejects when it exits first, or after 30 s, with its output).
 */
export async function startDev(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<RunningDev> {
  const child = spawn(process.execPath, ['bin/leadpact-cli.js', 'dev', '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the CLI did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('exit', (code) => reject(new Error(`the CLI exited (${code}):\n${output}`)));
  });
  return { child, url, exited };
}

/**
 * `leadpact dev` on a data directory at 600x, IAM off, sending through `mailEndpoint` (a mail service a test
 * controls): the process the crash and stop tests kill and start again on the same data.
 */
export function startDevOnData(dataDir: string, mailEndpoint: string, token: string): Promise<RunningDev> {
  return startDev(['--data', dataDir, '--speed', '600', '--iam', 'off', '--mail-endpoint', mailEndpoint], {
    LEADPACT_ADMIN_TOKEN: token,
  });
}
