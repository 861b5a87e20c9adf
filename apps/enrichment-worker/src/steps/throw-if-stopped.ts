import { SHUTDOWN_ABORT_REASON } from '@jobs/worker-kit';
import { JobCancelledError, WorkerShuttingDownError } from '../lib/errors';

/** The job was cancelled (its signal aborted for a reason other than the worker's shutdown). */
export function isCancelled(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason !== SHUTDOWN_ABORT_REASON;
}

/**
 * Throws when the job's signal has aborted: {@link JobCancelledError} with `cancelled` as its
 * message when the job was cancelled, {@link WorkerShuttingDownError} with `shuttingDown` when
 * the worker is shutting down. Returns otherwise.
 */
export function throwIfStopped(signal: AbortSignal, messages: { cancelled: string; shuttingDown?: string }): void {
  if (!signal.aborted) return;
  if (isCancelled(signal)) throw new JobCancelledError(messages.cancelled);
  throw new WorkerShuttingDownError(messages.shuttingDown);
}
