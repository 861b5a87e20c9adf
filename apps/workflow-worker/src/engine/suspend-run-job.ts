import { DelayedError, WaitingChildrenError, type Job } from 'bullmq';

/**
 * Suspends the run's job until `untilMs` (ms epoch): moved to delayed with our lock token, so it
 * holds no worker slot and no timer; BullMQ makes it runnable when due, and `job.promote()`
 * (a signal, a cancel) earlier. `afterMove` runs once the job is delayed (the event-wait race
 * check); whatever it does, the caller's attempt ends here.
 * @throws DelayedError always (BullMQ's "this job moved itself" signal to the worker).
 */
export async function suspendUntil(job: Job, token: string, untilMs: number, afterMove?: () => Promise<void>): Promise<never> {
  await job.moveToDelayed(untilMs, token);
  // The job is delayed now and our lock is gone: whatever afterMove meets (a Redis blip), this
  // attempt must end as a suspension, not a failure BullMQ could not record without the lock.
  if (afterMove) await afterMove().catch(() => undefined);
  throw new DelayedError();
}

/**
 * Suspends the run's job until its flow children have finished (BullMQ's waiting-children).
 * @returns when no child is pending any more (the job keeps running: resume now).
 * @throws WaitingChildrenError when the job moved to waiting-children.
 */
export async function suspendForChildren(job: Job, token: string): Promise<void> {
  if (await job.moveToWaitingChildren(token)) throw new WaitingChildrenError();
}

/**
 * Promotes a delayed job now; false when it is not delayed any more (already promoted, running,
 * gone), which is not an error for the caller.
 */
export async function promoteIfDelayed(job: Job): Promise<boolean> {
  try {
    await job.promote();
    return true;
  } catch {
    return false;
  }
}
