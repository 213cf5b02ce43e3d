/**
 * Runs a command to its end asynchronously (a blocking spawn would stall any server in this process) and
 * collects its output. No vitest import: bench/ uses it too.
 */
import { type SpawnOptionsWithoutStdio, spawn } from 'node:child_process';

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
