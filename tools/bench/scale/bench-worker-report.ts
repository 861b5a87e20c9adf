import { writeSync } from 'node:fs';
import type { Worker } from 'bullmq';

/** The `msg` of the line a bench worker process prints as it exits. */
export const COMPLETED_COUNT_MSG = 'bench worker completed count';

/** The `msg` of the line a raw bench worker prints once its connection is ready. */
export const RAW_READY_MSG = 'raw bench worker ready';

/**
 * Counts `worker`'s completed jobs and prints the count as one JSON line on stdout when the process
 * exits (`{"msg": COMPLETED_COUNT_MSG, "completed": n}`), so the parent learns how the jobs were
 * spread over the processes. Written with `writeSync`: an 'exit' listener cannot wait for a stream.
 * Installed the same way on the kit and raw sides so both pay the same listener.
 */
export function reportCompletedCountOnExit(worker: Worker): void {
  let completed = 0;
  worker.on('completed', () => {
    completed += 1;
  });
  process.once('exit', () => writeSync(1, `${JSON.stringify({ msg: COMPLETED_COUNT_MSG, completed, pid: process.pid })}\n`));
}
