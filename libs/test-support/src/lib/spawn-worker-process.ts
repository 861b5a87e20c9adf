import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { trackChildProcess } from './leak-check';

/** A child process running a TypeScript entry point, with its JSON log lines collected. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  /** Every stdout line that parsed as JSON, in order (pino's log lines). */
  readonly lines: Record<string, unknown>[];
  /** stderr, as text. */
  stderr(): string;
  /** Resolves with the first line (seen or to come) that `match` accepts. */
  waitForLine(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal name) and how long after `since` it came. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  /** SIGKILLs the process if still running. */
  kill(): void;
}

/** The repository root (where tsconfig.base.json is). */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/**
 * Runs `entry` (a .ts path relative to the repo root) with the tsx loader, as its own process, with the
 * given environment added to this one's. `ownProcessGroup`: start it in a process group of its
 * own, so a terminal's Ctrl-C is not delivered to it directly.
 */
export function spawnWorkerProcess(
  entry: string,
  env: Record<string, string>,
  options: { ownProcessGroup?: boolean } = {},
): WorkerProcess {
  // tsx as a loader inside one node process (not the tsx CLI, which runs the script in a
  // grandchild): signals reach the worker itself, and killing the child leaves no orphan.
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(REPO_ROOT, 'tsconfig.base.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Out of the terminal's process group, Ctrl-C reaches only the parent, which then stops the
    // worker with one signal instead of two (a second signal forces exit).
    detached: options.ownProcessGroup ?? false,
  });
  trackChildProcess(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    lines.push(line);
    for (const w of [...waiters]) {
      if (w.match(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal, at: Date.now() })),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine(match, timeoutMs = 60_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`no matching log line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (l) => {
            clearTimeout(timer);
            res(l);
          },
        });
        void exited.then(({ code }) => {
          clearTimeout(timer);
          rej(new Error(`process exited (${code}) before a matching log line; stderr: ${stderr.slice(-2000)}`));
        });
      });
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
