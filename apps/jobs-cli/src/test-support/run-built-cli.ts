import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRedisUrl } from '@jobs/test-support';

/** The repository root. */
export const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
/** The built CLI (built once per jest run by build-cli.global-setup.cjs). */
export const BUILT_CLI = join(REPO_ROOT, 'dist', 'apps', 'jobs-cli', 'main.js');

/** What a finished `jobs-cli` process left. */
export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runBuiltCli}. */
export interface RunOptions {
  /** Written to the process's stdin, which is then closed. */
  input?: string;
  /**
   * Extra environment (REDIS_URL is the test Redis unless given); a variable given as
   * `undefined` is removed (e.g. REDIS_URL beside REDIS_CLUSTER_NODES, which refuses both).
   */
  env?: Record<string, string | undefined>;
  /** The command line: default `node dist/apps/jobs-cli/main.js`. */
  command?: readonly string[];
  cwd?: string;
  /** A ceiling that only catches hangs; default 45 s. */
  hangAfterMs?: number;
}

/**
 * Starts the built `jobs-cli` command with `args`, stdin/stdout/stderr piped (so never a TTY), in a
 * temporary directory (no `.env` there), against the test Redis.
 */
export function startBuiltCli(args: readonly string[], options: RunOptions = {}): ChildProcessWithoutNullStreams {
  const [cmd = process.execPath, ...pre] = options.command ?? [process.execPath, BUILT_CLI];
  const env: NodeJS.ProcessEnv = { ...process.env, REDIS_URL: testRedisUrl(), ...options.env };
  delete env['BULLMQ_PREFIX'];
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  const child = spawn(cmd, [...pre, ...args], { cwd: options.cwd ?? tmpdir(), env, stdio: ['pipe', 'pipe', 'pipe'] });
  if (options.input !== undefined) child.stdin.end(options.input);
  else child.stdin.end();
  return child;
}

/** Waits for `child` to exit and returns what it printed; kills it and rejects if it hangs. */
export function collect(child: ChildProcessWithoutNullStreams, hangAfterMs = 45_000): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jobs-cli did not exit within ${hangAfterMs} ms; stdout: ${stdout}; stderr: ${stderr}`));
    }, hangAfterMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the built `jobs-cli` command to its end (see {@link startBuiltCli}). */
export function runBuiltCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  return collect(startBuiltCli(args, options), options.hangAfterMs);
}
