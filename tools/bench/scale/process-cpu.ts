import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/**
 * CPU seconds (user + system) process `pid` has used so far, from `/proc/<pid>/stat` (fields 14
 * and 15, in clock ticks of `getconf CLK_TCK`, usually 10 ms); NaN where there is no /proc
 * (not Linux) or the process is gone. Read from outside, so a loaded machine does not skew it
 * the way it skews wall time.
 */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}
