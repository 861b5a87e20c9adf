import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
const PM2_BIN = join(ROOT, 'node_modules/.bin/pm2');

/** A PM2 command that exited non-zero or could not be run. */
export class Pm2CommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly output: string,
  ) {
    super(`pm2 ${args.join(' ')} failed:\n${output}`);
    this.name = 'Pm2CommandError';
  }
}

/** One entry of `pm2 jlist`, the fields the tests read. */
export interface Pm2Process {
  readonly name: string;
  /** The OS pid; 0 once stopped. */
  readonly pid: number;
  readonly pm_id: number;
  readonly pm2_env: {
    readonly status: string;
    /** Exit code of the process's last exit; absent before its first exit, null when a signal ended it. */
    readonly exit_code?: number | null;
    /** Restarts PM2 made. */
    readonly restart_time: number;
    readonly kill_timeout: number;
    readonly node_args: readonly string[];
    readonly exec_mode: string;
    readonly pm_out_log_path: string;
    readonly pm_err_log_path: string;
    readonly env: Readonly<Record<string, string>>;
  };
}

/**
 * The real `pm2` (node_modules/.bin/pm2) with its own PM2_HOME in a temporary folder, so its
 * daemon, logs and pid files never meet a user's `~/.pm2` daemon. HOME points there too.
 */
export class PrivatePm2 {
  /** The temporary PM2_HOME. */
  readonly home: string;
  private readonly env: NodeJS.ProcessEnv;

  /**
   * @param env - environment of every pm2 command (the daemon, started by the first command,
   *   keeps it, and the apps get it merged under their ecosystem `env`); PATH is added, led by
   *   the folder of the Node running this process.
   */
  constructor(env: Record<string, string>) {
    this.home = mkdtempSync(join(tmpdir(), 'pm2-home-'));
    // pm2's `#!/usr/bin/env node` and the apps it starts (PM2 runs them with its own
    // process.execPath) use the Node running this test, whatever else PATH holds.
    const path = [dirname(process.execPath), process.env['PATH']].filter(Boolean).join(delimiter);
    this.env = { PATH: path, ...env, PM2_HOME: this.home, HOME: this.home };
  }

  /**
   * Runs `pm2 <args>` in the repository root.
   * @param timeoutMs - kill the command after this long (default 180 000: only catches hangs).
   * @throws Pm2CommandError when it exits non-zero.
   */
  run(args: readonly string[], timeoutMs = 180_000): Promise<string> {
    return new Promise((resolveRun, reject) => {
      execFile(PM2_BIN, [...args], { cwd: ROOT, env: this.env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Pm2CommandError(args, `${String(err)}\n${stdout}\n${stderr}`));
        else resolveRun(stdout);
      });
    });
  }

  /** `pm2 jlist`: every process the daemon knows. @throws Pm2CommandError */
  async list(): Promise<Pm2Process[]> {
    const out = await this.run(['jlist']);
    // pm2 may print a notice line before the JSON.
    return JSON.parse(out.slice(out.indexOf('['))) as Pm2Process[];
  }

  /** The daemon's pid from PM2_HOME/pm2.pid, or undefined when there is none. */
  daemonPid(): number | undefined {
    const file = join(this.home, 'pm2.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
  }

  /** The last `maxChars` of a process's out and error logs, for failure messages. */
  logsOf(proc: Pm2Process, maxChars = 4000): string {
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').slice(-maxChars) : '(no log)');
    return `${proc.name} stdout:\n${read(proc.pm2_env.pm_out_log_path)}\n${proc.name} stderr:\n${read(proc.pm2_env.pm_err_log_path)}`;
  }

  /** `pm2 kill` (when a daemon runs), then removes PM2_HOME. Safe to call twice. */
  async destroy(): Promise<void> {
    if (this.daemonPid() !== undefined) await this.run(['kill']).catch(() => undefined);
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** True while a process with this pid exists (signal 0 probes without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
