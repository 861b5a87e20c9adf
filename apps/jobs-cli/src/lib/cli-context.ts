import type { Queue } from 'bullmq';
import type { JobProducer, QueueName } from '@jobs/queue-contracts';

/**
 * What every command of the `jobs-cli` CLI gets from `main.ts`: connections opened on first use
 * and closed once when the command ends, where to write, and whether a person is watching.
 * Commands never read `process.env` or call `process.exit`; they return or throw `CliError`.
 */
export interface CliContext {
  /**
   * A BullMQ `Queue` handle of `name` under `queuePrefix({ redis, prefix }, name)`: the configured
   * prefix (`BULLMQ_PREFIX`, default `bull`), with the queue group's hash tag on a Redis Cluster
   * (`bull:{workflow}` for `email`). Opened on first call; the same handle on later calls;
   * closed by `main.ts`.
   */
  queue(name: QueueName): Queue;
  /**
   * Runs `fn` with the queues' connection's per-command timeout off, for one long server-side
   * step (`drain`'s single Lua script over a million jobs outlasts it): a client that gave up
   * while Redis goes on would report "unavailable" for a change that completes. A Redis that
   * never answers then keeps the command waiting until Ctrl-C.
   */
  withoutCommandTimeout<T>(fn: () => Promise<T>): Promise<T>;
  /** The contracts' producer (validates job data before anything reaches Redis); opened on first call. */
  producer(): JobProducer;
  /** Where `enqueue --data -` reads from; absent: the command has no input to read. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Where results go (tables, JSON). */
  readonly stdout: NodeJS.WritableStream;
  /** Where progress bars, prompts' questions and error lines go. */
  readonly stderr: NodeJS.WritableStream;
  /**
   * True when stdout and stderr are terminals: progress bars redraw in place and `drain` may
   * ask for confirmation; false in scripts and tests, where progress is printed as plain lines.
   */
  readonly interactive: boolean;
  /**
   * Asks a yes/no question on stderr and reads the answer from stdin; resolves false when
   * there is no terminal to ask.
   */
  confirm(question: string): Promise<boolean>;
  /** The Redis the CLI talks to, without credentials, for messages (e.g. `redis://127.0.0.1:6379`, `redis-cluster://h1:7000,h2:7000`). */
  readonly redisDescription: string;
  /** The BullMQ key prefix configured (on a cluster each queue's keys add its group's hash tag to it). */
  readonly prefix: string;
  /** Current time in ms since the epoch (tests may fix it). */
  now(): number;
  /**
   * Aborted on the first SIGINT/SIGTERM (Ctrl-C). A long-running command (`stats --watch`, a
   * bulk move) stops at its next step and returns normally; `main.ts` closes the connections
   * and, if the command has not ended 2 s later, exits 130. A second signal exits at once.
   * Absent when the caller gives none (a command then runs to its end).
   */
  readonly signal?: AbortSignal;
}
