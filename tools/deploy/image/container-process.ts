import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { launchAs } from './container-user';
import { type RuntimeStageReplay } from './replay-runtime-stage';

/** Who a replayed container process runs as. */
export interface ContainerIdentity {
  readonly uid: number;
  readonly gid: number;
}

/** A replayed container's main process. */
export interface ContainerProcess {
  /** The process id of the image's command itself (setpriv, when used, execs it: no process in between). */
  readonly pid: number;
  /** Resolves with the exit code, or the signal's name when a signal ended it. */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
  /** stdout and stderr so far, for failure messages. */
  output(): string;
  /** Sends `signal` unless the process has exited. */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts the replayed image's command (ENTRYPOINT + CMD) in its WORKDIR as `who` (undefined: the
 * current user), with `env` alone (the container's environment: the image's ENV, PATH, and what
 * `docker run -e` would add). Changing user needs root (see containerUser).
 */
export function startContainerProcess(replay: RuntimeStageReplay, who: ContainerIdentity | undefined, env: Readonly<Record<string, string>>): ContainerProcess {
  const [file, args] = launchAs(who, replay.command.argv);
  const child = spawn(file, args, { cwd: replay.workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  return {
    pid: child.pid,
    exited,
    output: () => output,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/**
 * Runs the image's HEALTHCHECK command once, as Docker does inside the container: as `who`
 * (undefined: the current user), in
 * the WORKDIR, with the container's `env`, killed after the HEALTHCHECK's `--timeout`.
 * @returns its exit code (0 healthy); null when it was killed at the timeout.
 */
export function runHealthcheck(replay: RuntimeStageReplay, who: ContainerIdentity | undefined, env: Readonly<Record<string, string>>): number | null {
  if (!replay.healthcheck) throw new Error('the image has no HEALTHCHECK');
  const [file, args] = launchAs(who, replay.healthcheck.argv);
  return spawnSync(file, args, { cwd: replay.workdir, env, timeout: replay.healthcheck.timeoutMs }).status;
}

/** The real, effective, saved and filesystem ids of a live process, from /proc/<pid>/status. */
export function processIds(pid: number): { readonly uids: number[]; readonly gids: number[]; readonly groups: number[] } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number[] =>
    (new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(status)?.[1] ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  return { uids: field('Uid'), gids: field('Gid'), groups: field('Groups') };
}
