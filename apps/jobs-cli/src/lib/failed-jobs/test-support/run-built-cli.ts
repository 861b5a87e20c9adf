import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built CLI the end-to-end specs run (jest's globalSetup builds it: `nx build jobs-cli`). */
export const BUILT_CLI = join(__dirname, '..', '..', '..', '..', '..', '..', 'dist', 'apps', 'jobs-cli', 'main.js');

/** What a run of the built CLI did. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Test fixture: runs `node dist/apps/jobs-cli/main.js <args>` as a child process with pipes (no
 * TTY, as in CI), against `redisUrl` under `prefix`, from a directory without a `.env`.
 * `onStderr` sees each chunk written to stderr, with the child (to signal it).
 */
export function runBuiltCli(args: readonly string[], redisUrl: string, prefix: string, onStderr?: (chunk: string, child: ChildProcess) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], {
      cwd: tmpdir(),
      env: { PATH: process.env['PATH'] ?? '', REDIS_URL: redisUrl, BULLMQ_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(chunk.toString(), child);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
