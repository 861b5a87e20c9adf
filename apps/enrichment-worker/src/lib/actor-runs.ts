import { ApifyApiError, ApifyClient } from 'apify-client';
import { ActorRunMissingError, ApifyThrottledError } from './errors';
import type { RateLimiter } from '@jobs/worker-kit';

/** An actor run as the worker needs it. */
export interface ActorRun {
  readonly id: string;
  /** Apify's run status: READY, RUNNING, SUCCEEDED, FAILED, ABORTING, ABORTED, TIMING-OUT, TIMED-OUT. */
  readonly status: string;
  readonly statusMessage: string | null;
  readonly defaultDatasetId: string;
}

/** Statuses after which a run changes no more. */
export const FINISHED_RUN_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'ABORTED', 'TIMED-OUT']);

/** Running the enrichment actor, behind an interface so tests point the real client at a local server. */
export interface ActorRuns {
  /** Starts a run of the actor with `input`. Not idempotent: never retried in place. */
  start(input: unknown, options: { timeoutSecs: number; memoryMbytes: number | null }): Promise<ActorRun>;
  /** The run now, or once finished when that happens within `waitSecs` (≤ 60, Apify's long-poll). */
  get(runId: string, waitSecs: number): Promise<ActorRun>;
  abort(runId: string): Promise<void>;
  /** Every item of a dataset. */
  items(datasetId: string): Promise<Record<string, unknown>[]>;
  /**
   * A run of the actor started since `since` whose input carries `batchKey` (read from the
   * run's INPUT record): the run an attempt started before it died or lost Apify's answer.
   */
  findStarted(batchKey: string, since: Date): Promise<ActorRun | null>;
}

/** Options of {@link ApifyActorRuns}. */
export interface ApifyActorRunsOptions {
  /** `https://api.apify.com` in production. */
  readonly baseUrl: string;
  readonly token: string;
  /** `username~actor-name` or an actor id. */
  readonly actorId: string;
  /** Shared by every API call of every worker process on the same Apify quota, retries included. */
  readonly limiter: RateLimiter;
  /** Retries of one read by the client itself (429 and 5xx). */
  readonly readRetries: number;
  /** Wait after a 429 before any call goes out (ms); Apify sends no Retry-After. */
  readonly rateLimitPauseMs: number;
}

/**
 * The actor through the official `apify-client`. Every HTTP attempt — the client's own retries
 * included — passes a request interceptor that takes a slot from the shared `limiter` (every
 * process of the worker), so retries cannot push the call rate over the limit or multiply it;
 * when the client has met a 429 since the last call, the limiter pauses every process for
 * `rateLimitPauseMs` first. Errors: {@link ApifyThrottledError} for a 429 the client's retries
 * did not absorb, {@link ActorRunMissingError} for a run Apify does not have; the client's own
 * errors otherwise. Reads are retried by
 * the client (`readRetries`); starting a run is not (`maxRetries: 0` on a second client): a
 * retried POST after a 5xx could start a second paid run.
 */
export class ApifyActorRuns implements ActorRuns {
  private readonly reads: ApifyClient;
  private readonly writes: ApifyClient;
  private seenRateLimitErrors = 0;

  constructor(private readonly options: ApifyActorRunsOptions) {
    const interceptor = async <T>(config: T): Promise<T> => {
      const rateLimited = this.rateLimitErrors();
      if (rateLimited > this.seenRateLimitErrors) {
        this.seenRateLimitErrors = rateLimited;
        await options.limiter.pauseFor(options.rateLimitPauseMs);
      }
      await options.limiter.take();
      return config;
    };
    const common = { baseUrl: options.baseUrl, token: options.token, requestInterceptors: [interceptor] };
    this.reads = new ApifyClient({ ...common, maxRetries: options.readRetries, minDelayBetweenRetriesMillis: 500 });
    this.writes = new ApifyClient({ ...common, maxRetries: 0 });
  }

  /** 429s met by both clients so far (the client counts them per attempt). */
  private rateLimitErrors(): number {
    const sum = (client: ApifyClient) => client.stats.rateLimitErrors.reduce((a, b) => a + b, 0);
    return (this.reads ? sum(this.reads) : 0) + (this.writes ? sum(this.writes) : 0);
  }

  private mapError(err: unknown): unknown {
    if (err instanceof ApifyApiError && err.statusCode === 429) return new ApifyThrottledError(`Apify: ${err.message}`, { cause: err });
    return err;
  }

  async start(input: unknown, options: { timeoutSecs: number; memoryMbytes: number | null }): Promise<ActorRun> {
    try {
      const run = await this.writes.actor(this.options.actorId).start(input, { timeout: options.timeoutSecs, ...(options.memoryMbytes ? { memory: options.memoryMbytes } : {}) });
      return { id: run.id, status: run.status, statusMessage: run.statusMessage ?? null, defaultDatasetId: run.defaultDatasetId };
    } catch (err) {
      throw this.mapError(err);
    }
  }

  async get(runId: string, waitSecs: number): Promise<ActorRun> {
    try {
      const run = await this.reads.run(runId).get({ waitForFinish: Math.min(60, Math.max(0, waitSecs)) });
      if (!run) throw new ActorRunMissingError(runId);
      return { id: run.id, status: run.status, statusMessage: run.statusMessage ?? null, defaultDatasetId: run.defaultDatasetId };
    } catch (err) {
      throw this.mapError(err);
    }
  }

  async abort(runId: string): Promise<void> {
    try {
      await this.reads.run(runId).abort();
    } catch (err) {
      throw this.mapError(err);
    }
  }

  async findStarted(batchKey: string, since: Date): Promise<ActorRun | null> {
    try {
      const page = await this.reads.actor(this.options.actorId).runs().list({ desc: true, limit: 100 });
      for (const run of page.items) {
        if (new Date(run.startedAt).getTime() < since.getTime()) break;
        const record = await this.reads.keyValueStore(run.defaultKeyValueStoreId).getRecord('INPUT');
        const input = record?.value as { batchKey?: unknown } | undefined;
        if (input?.batchKey === batchKey) {
          return { id: run.id, status: run.status, statusMessage: null, defaultDatasetId: run.defaultDatasetId };
        }
      }
      return null;
    } catch (err) {
      throw this.mapError(err);
    }
  }

  async items(datasetId: string): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    try {
      for (let offset = 0; ; ) {
        const page = await this.reads.dataset(datasetId).listItems({ offset, limit: 1000, clean: true });
        all.push(...(page.items as Record<string, unknown>[]));
        offset += page.items.length;
        if (page.items.length === 0 || offset >= page.total) return all;
      }
    } catch (err) {
      throw this.mapError(err);
    }
  }
}
