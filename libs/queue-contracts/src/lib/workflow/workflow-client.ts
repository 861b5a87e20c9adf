import { Job, type Queue, type RedisClient } from 'bullmq';
import { withTimeout } from '@jobs/common';
import type { z } from 'zod';
import { idSchema } from '../contracts/common';
import { CONTRACT_LIMITS } from '../contracts/contract-limits';
import { jsonByteLength } from '../contracts/json-byte-length';
import { jsonProblem } from '../contracts/json-problem';
import type { JsonValue } from '../contracts/json-value';
import { QueueUnavailableError } from '../errors';
import { isRedisUnavailableError } from '../is-redis-unavailable-error';
import { JobProducer, type JobProducerOptions } from '../job-producer';
import { ALL_QUEUE_NAMES, QUEUE_NAMES, type QueueName } from '../queue-names';
import { withoutRedisCredentials } from '../without-redis-credentials';
import { WORKFLOW_DEFINITION_LIMITS, workflowEventNameSchema, type WorkflowDefinition } from './definition-schema';
import { InvalidWorkflowRequestError } from './invalid-workflow-request-error';
import { readStoredJson } from './read-stored-json';
import { workflowRunRecordSchema, type WorkflowRunRecord } from './run-record-schema';
import { UnreadableWorkflowRecordError } from './unreadable-workflow-record-error';
import { validateWorkflowDefinition } from './validate-workflow-definition';
import { workflowKeys, type WorkflowKeys } from './workflow-keys';
import { workflowRunIdSchema, workflowRunJobId } from './workflow-run-id';
import { runWorkflowScript, WORKFLOW_SCRIPTS } from './workflow-scripts';

/** How long signals and cancel flags are kept when the worker has not set a TTL: the longest a run may live. */
const FLAG_TTL_MS = WORKFLOW_DEFINITION_LIMITS.MAX_RUN_AGE_MS;
/** Job states in which a step's child job has not started, so cancelling a run removes it. */
const NOT_STARTED = new Set(['waiting', 'delayed', 'prioritized']);
/** Run statuses after which there is nothing left to cancel. */
const ENDED: ReadonlySet<WorkflowRunRecord['status']> = new Set(['completed', 'failed', 'cancelled']);

/**
 * What `signalWorkflowRun` did: `delivered: true` when the event was recorded for the run, else
 * why not: `no-such-run` (neither a run record nor the run's job), `run-ended` (its record says
 * completed, failed or cancelled), `already-signalled` (an event of that name was recorded
 * before; the first signal wins).
 */
export type WorkflowSignalResult = { readonly delivered: true } | { readonly delivered: false; readonly reason: 'no-such-run' | 'run-ended' | 'already-signalled' };

/** `value` parsed by `schema`, or InvalidWorkflowRequestError naming `field`. */
function argument<T>(field: string, schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidWorkflowRequestError(`${field}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/**
 * The workflow engine's API on the app's side: definitions (save, read, list versions) and runs
 * (signal an event, cancel, read the journal), over the Redis and BullMQ prefix of a
 * {@link JobProducer}. Keys are those of `workflowKeys(prefix)`.
 *
 * Every call validates its arguments first (`InvalidWorkflowRequestError`, nothing sent), then
 * waits at most `producerTimeoutMs` (default 5000) per Redis step; a Redis that refuses, drops
 * or does not answer is a `QueueUnavailableError`.
 */
export class WorkflowClient {
  private readonly producer: JobProducer;
  private readonly ownsProducer: boolean;
  private readonly timeoutMs: number;
  private closing: Promise<void> | undefined;

  /**
   * @param source - a producer to share (its connection and prefix; `close` leaves it open; each
   *   Redis step waits at most 5000 ms), or producer options (the client opens its own producer,
   *   waits `producerTimeoutMs` per step, and closes the producer in `close`).
   */
  constructor(source: JobProducer | JobProducerOptions) {
    this.ownsProducer = !(source instanceof JobProducer);
    this.producer = source instanceof JobProducer ? source : new JobProducer(source);
    this.timeoutMs = source instanceof JobProducer ? 5000 : (source.producerTimeoutMs ?? 5000);
  }

  /**
   * Validates `doc` (`validateWorkflowDefinition`) and stores it as the workflow's next version:
   * 1 for the first save, then 2, 3 … (one atomic script: two saves at once get two versions).
   * Versions are never changed or removed; a run pins the version it started with, so saving
   * never changes a run in progress, and new runs take the latest.
   * @returns the workflow id and the version stored.
   * @throws WorkflowDefinitionError with the path of each bad step; QueueUnavailableError
   */
  async saveWorkflowDefinition(doc: unknown): Promise<{ workflowId: string; version: number }> {
    const definition = validateWorkflowDefinition(doc);
    const key = this.keys().def(definition.workflowId);
    const version = await this.redis('save definition', (client) => runWorkflowScript(client, WORKFLOW_SCRIPTS.saveDefinition, [key, JSON.stringify(definition)]));
    return { workflowId: definition.workflowId, version: Number(version) };
  }

  /**
   * Version `version` of a workflow's definition, or the latest without `version`; `null` when
   * there is no such version.
   * @throws InvalidWorkflowRequestError for a blank id or a version that is not a positive
   *   integer; UnreadableWorkflowRecordError when the stored JSON no longer validates;
   *   QueueUnavailableError
   */
  async getWorkflowDefinition(workflowId: string, version?: number): Promise<{ version: number; definition: WorkflowDefinition } | null> {
    const id = argument('workflowId', idSchema, workflowId);
    if (version !== undefined && !(Number.isSafeInteger(version) && version >= 1)) {
      throw new InvalidWorkflowRequestError(`version: must be a positive integer (was ${String(version)})`);
    }
    const key = this.keys().def(id);
    const found =
      version === undefined
        ? ((await this.redis('read definition', (client) => runWorkflowScript(client, WORKFLOW_SCRIPTS.latestDefinition, [key]))) as [string, string | null] | null)
        : ([String(version), await this.redis('read definition', (client) => client.hget(key, String(version)))] as const);
    if (!found || found[1] === null) return null;
    const where = `${key} field ${found[0]}`;
    const definition = readStoredJson(where, found[1], validateWorkflowDefinition);
    if (definition.workflowId !== id) throw new UnreadableWorkflowRecordError(where, `holds workflow "${definition.workflowId}"`);
    return { version: Number(found[0]), definition };
  }

  /** The versions saved for a workflow, ascending (`[]` when none). @throws InvalidWorkflowRequestError; QueueUnavailableError */
  async listWorkflowDefinitionVersions(workflowId: string): Promise<number[]> {
    const key = this.keys().def(argument('workflowId', idSchema, workflowId));
    const fields = (await this.redis('list definition versions', (client) => runWorkflowScript(client, WORKFLOW_SCRIPTS.definitionFields, [key]))) as string[];
    return fields
      .filter((field) => /^[1-9]\d*$/.test(field))
      .map(Number)
      .sort((a, b) => a - b);
  }

  /**
   * Sends event `name` (with an optional JSON `payload`) to run `runId`: recorded in the run's
   * events hash unless an event of that name was already (the first signal wins), then the run's
   * job is promoted if it is delayed, so a run waiting for the event resumes now. A signal may
   * come before the run reaches its `wait_for_event` (even before it starts, while only its job
   * `wfrun-<runId>` exists): it is kept and the wait ends at once. A repeated signal promotes
   * again (harmless), so retrying a signal whose first call failed half-way is safe.
   * Nothing is written for a run that does not exist or has ended (one script checks the run
   * record, or without one the job `wfrun-<runId>`, and records the event).
   * @returns `{ delivered: true }`, or `{ delivered: false, reason }`: `no-such-run` (neither a
   *   run record nor the run's job), `run-ended` (the record says completed, failed or
   *   cancelled), `already-signalled` (this payload dropped).
   * @throws InvalidWorkflowRequestError naming `runId`, `name` or `payload` (not JSON, deeper
   *   than 32 levels, or over 64 KiB); QueueUnavailableError
   */
  async signalWorkflowRun(runId: string, name: string, payload?: JsonValue): Promise<WorkflowSignalResult> {
    const id = argument('runId', workflowRunIdSchema, runId);
    const event = argument('name', workflowEventNameSchema, name);
    if (payload !== undefined) {
      const problem = jsonProblem(payload, CONTRACT_LIMITS.MAX_JSON_DEPTH);
      if (problem) throw new InvalidWorkflowRequestError(`payload: must be plain JSON: ${problem}`);
      const bytes = jsonByteLength(payload);
      if (bytes > CONTRACT_LIMITS.MAX_CONTEXT_BYTES) throw new InvalidWorkflowRequestError(`payload: must be at most ${CONTRACT_LIMITS.MAX_CONTEXT_BYTES} bytes as JSON (was ${bytes})`);
    }
    const keys = this.keys();
    const value = JSON.stringify(payload === undefined ? { at: Date.now() } : { payload, at: Date.now() });
    const scriptKeys = [keys.events(id), keys.run(id), keys.job(workflowRunJobId(id))];
    const outcome = Number(await this.redis('signal', (client) => runWorkflowScript(client, WORKFLOW_SCRIPTS.signal, [...scriptKeys, event, value, FLAG_TTL_MS, ...ENDED])));
    if (outcome === -1) return { delivered: false, reason: 'no-such-run' };
    if (outcome === -2) return { delivered: false, reason: 'run-ended' };
    await this.promoteIfDelayed(await this.runJobId(id));
    return outcome === 1 ? { delivered: true } : { delivered: false, reason: 'already-signalled' };
  }

  /**
   * Asks run `runId` to stop: sets its cancel flag (the worker checks it at every step boundary
   * and on every resume, and ends the run `cancelled`), promotes the run's job if it is delayed
   * (a time or event wait ends now), and removes the current step's child job if it has not
   * started (waiting, delayed or prioritized), which also wakes a run waiting for it. A child job
   * already running is left to finish; the run stops when it resumes.
   * A run that already ended is left as it is (`found: true`, no flag set).
   * @returns `found: false` when neither a run record nor a run job exists (no flag is left).
   * @throws InvalidWorkflowRequestError naming `runId`; QueueUnavailableError
   */
  async cancelWorkflowRun(runId: string): Promise<{ found: boolean }> {
    const id = argument('runId', workflowRunIdSchema, runId);
    const cancelKey = this.keys().cancel(id);
    await this.redis('cancel', (client) => client.set(cancelKey, '1', { PX: FLAG_TTL_MS }));
    const record = await this.readRunRecord(id).catch((err: unknown) => {
      if (err instanceof UnreadableWorkflowRecordError) return undefined; // exists, unreadable: still cancel the job
      throw err;
    });
    const jobId = record?.jobId ?? workflowRunJobId(id);
    const jobState = await this.redis('cancel', () => this.workflowQueue().getJobState(jobId));
    const ended = record !== null && record !== undefined && ENDED.has(record.status);
    if (ended || (record === null && jobState === 'unknown')) {
      // Nothing to stop: leave no flag behind (it would outlive the record by up to a year).
      await this.redis('cancel', (client) => client.del(cancelKey));
      return { found: ended };
    }
    await this.promoteIfDelayed(jobId);
    const current = record?.steps.at(-1);
    if (current?.childJob && (current.status === 'waiting' || current.status === 'running')) {
      await this.removeIfNotStarted(current.childJob.queue, current.childJob.jobId);
    }
    return { found: true };
  }

  /**
   * The journal of run `runId` (see `workflowRunRecordSchema`): status, context, each executed
   * step with its status, attempts, times, child job and output; `null` when no record exists
   * (not started yet, or expired 30 days after it ended).
   * @throws InvalidWorkflowRequestError naming `runId`; UnreadableWorkflowRecordError naming the
   *   key when the stored record does not match the schema; QueueUnavailableError
   */
  async getWorkflowRun(runId: string): Promise<WorkflowRunRecord | null> {
    return this.readRunRecord(argument('runId', workflowRunIdSchema, runId));
  }

  /** Closes the producer if this client opened it; idempotent. */
  close(): Promise<void> {
    this.closing ??= this.ownsProducer ? this.producer.close() : Promise.resolve();
    return this.closing;
  }

  private async readRunRecord(runId: string): Promise<WorkflowRunRecord | null> {
    const key = this.keys().run(runId);
    const text = await this.redis('read run', (client) => client.get(key));
    return text === null ? null : readStoredJson(key, text, (value) => workflowRunRecordSchema.parse(value));
  }

  /** The run's job id: the record's when it has one (a run added with a custom jobId), else the default. */
  private async runJobId(runId: string): Promise<string> {
    const record = await this.readRunRecord(runId).catch((err: unknown) => {
      if (err instanceof UnreadableWorkflowRecordError) return undefined;
      throw err;
    });
    return record?.jobId ?? workflowRunJobId(runId);
  }

  /**
   * Promotes job `jobId` of queue `workflow` when it is delayed. The job may move between the
   * check and the promote (the worker took it, or it became due): a failed promote is ignored
   * when the job is no longer delayed.
   */
  private async promoteIfDelayed(jobId: string): Promise<void> {
    const queue = this.workflowQueue();
    if ((await this.redis('promote', () => queue.getJobState(jobId))) !== 'delayed') return;
    try {
      const job = await this.redis('promote', () => Job.fromId(queue, jobId));
      await this.redis('promote', async () => job?.promote());
    } catch (err) {
      if (err instanceof QueueUnavailableError) throw err;
      if ((await this.redis('promote', () => queue.getJobState(jobId))) === 'delayed') throw err;
    }
  }

  /** Removes a step's child job when it has not started; BullMQ refuses (0) a job that got locked meanwhile. */
  private async removeIfNotStarted(queueName: string, jobId: string): Promise<void> {
    if (!ALL_QUEUE_NAMES.includes(queueName as QueueName)) return;
    const queue = this.producer.queue(queueName as QueueName);
    const state = await this.redis('cancel child', () => queue.getJobState(jobId));
    if (NOT_STARTED.has(state)) await this.redis('cancel child', () => queue.remove(jobId));
  }

  private workflowQueue(): Queue {
    return this.producer.queue(QUEUE_NAMES.workflow);
  }

  /** The keys under the producer's prefix (read from the queue's qualified name `<prefix>:workflow`). */
  private keys(): WorkflowKeys {
    const qualified = this.workflowQueue().qualifiedName;
    return workflowKeys(qualified.slice(0, qualified.length - QUEUE_NAMES.workflow.length - 1));
  }

  /** Runs one Redis step within the timeout, turning connection failures into QueueUnavailableError. */
  private async redis<T>(step: string, run: (client: RedisClient) => Promise<T>): Promise<T> {
    try {
      const work = (async () => run(await this.workflowQueue().getBackend().client))();
      return await withTimeout(work, this.timeoutMs, () => new QueueUnavailableError(`Redis did not answer within ${this.timeoutMs} ms (workflow ${step}); is it running?`));
    } catch (err) {
      if (err instanceof QueueUnavailableError || !isRedisUnavailableError(err)) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw new QueueUnavailableError(`Redis is unavailable (workflow ${step}): ${reason}`, { cause: withoutRedisCredentials(err) });
    }
  }
}
