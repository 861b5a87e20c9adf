import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();

/** Records a child process so the after-all check can catch one a test left running. */
export function trackChildProcess(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** Kills every tracked child still running and returns how many there were. */
export function killLeftoverProcesses(): number {
  const left = [...live].filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of left) c.kill('SIGKILL');
  live.clear();
  return left.length;
}
