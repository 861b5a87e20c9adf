import { QUEUE_NAMES } from '../queue-names';

/** The Redis keys of the workflow engine under one BullMQ prefix. */
export interface WorkflowKeys {
  /** `<prefix>:workflow:run:<runId>`: the run record (JSON string, `workflowRunRecordSchema`). */
  run(runId: string): string;
  /**
   * `<prefix>:workflow:run:<runId>:events`: hash of the events signalled to the run; field = the
   * event name, value = JSON `{ payload?, at }` (`at` ms epoch). The first signal of a name wins.
   */
  events(runId: string): string;
  /** `<prefix>:workflow:run:<runId>:cancel`: `'1'` once the run was asked to stop. */
  cancel(runId: string): string;
  /**
   * `<prefix>:workflow:def:<workflowId>`: hash of a workflow's definition versions; field
   * `latest` = the highest version, field `<n>` = the JSON of version n (1, 2, …).
   */
  def(workflowId: string): string;
  /** `<prefix>:workflow:<jobId>`: BullMQ's hash of a job of queue `workflow` (exists while the job does). */
  job(jobId: string): string;
  /** `<prefix>:workflow:<jobId>:lock`: BullMQ's lock of a job of queue `workflow` (holds the worker's token). */
  jobLock(jobId: string): string;
}

/**
 * The workflow engine's Redis keys under the `workflow` queue's prefix `prefix` (default `bull`;
 * on a Redis Cluster the hash-tagged `queuePrefix(…, 'workflow')`, e.g. `bull:{workflow}`). They
 * share the queue's namespace (`<prefix>:workflow:…`) so that `deletePrefix` and queue
 * administration see them, and so that on a cluster they hash to the queue's slot, as the
 * worker's fenced journal writes (one script over the run key and the job's lock) need. They
 * could meet BullMQ's own keys only under a job whose custom id is exactly `run` or `def` (its
 * `…:run:lock`, `…:def:logs` …); run jobs are `wfrun-…`.
 */
export function workflowKeys(prefix = 'bull'): WorkflowKeys {
  const base = `${prefix}:${QUEUE_NAMES.workflow}`;
  return Object.freeze({
    run: (runId: string) => `${base}:run:${runId}`,
    events: (runId: string) => `${base}:run:${runId}:events`,
    cancel: (runId: string) => `${base}:run:${runId}:cancel`,
    def: (workflowId: string) => `${base}:def:${workflowId}`,
    job: (jobId: string) => `${base}:${jobId}`,
    jobLock: (jobId: string) => `${base}:${jobId}:lock`,
  });
}
