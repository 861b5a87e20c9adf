/**
 * A journal write was refused because the run's job lock is no longer held with this worker's
 * token (the lock expired and the job stalled to another worker, or the job was moved on). The
 * worker must stop the run at once: whoever holds the lock now owns the record. Thrown by
 * `RunJournal.write`; the job attempt fails (BullMQ ignores the outcome of a job whose lock is
 * gone) and nothing more is written.
 */
export class JournalFencedError extends Error {
  override readonly name = 'JournalFencedError';
  constructor(
    readonly runId: string,
    readonly jobId: string,
  ) {
    super(`run ${runId}: journal write refused, job ${jobId}'s lock is not held with this worker's token`);
  }
}
