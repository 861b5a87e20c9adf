import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ioRedisOptions, JobProducer, type QueueName } from '@jobs/queue-contracts';
import type { CliContext } from './cli-context';
import type { CliConfig } from './load-cli-config';

/** How long the CLI waits for a TCP connection to Redis, per attempt, in ms. */
export const CONNECT_TIMEOUT_MS = 3000;
/** Reconnect attempts after the first failed one before the CLI gives up on Redis. */
export const CONNECT_RETRIES = 2;
/**
 * How long the connection may take to become ready, all attempts together, in ms. ioredis's
 * `connectTimeout` ends at the TCP connect; a server that accepts and then never answers (a
 * hung Redis, a port of something else) would otherwise keep the CLI waiting for good.
 */
export const READY_TIMEOUT_MS = CONNECT_TIMEOUT_MS * (CONNECT_RETRIES + 1);
/** How long one Redis command may go unanswered before it fails, in ms (not `drain`'s script: see `CliContext.withoutCommandTimeout`). */
export const COMMAND_TIMEOUT_MS = 15_000;
/** Bound of each clean-up step when the command ends, in ms. */
export const CLOSE_TIMEOUT_MS = 3000;

/** The process's streams and signal, as `main.ts` hands them over (tests pass their own). */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly signal?: AbortSignal;
  /** Clock in ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
}

/** A {@link CliContext} and the one place that releases what it opened. */
export interface CliSession {
  readonly context: CliContext;
  /** Closes every queue, the shared connection and the producer; idempotent; never throws. */
  close(): Promise<void>;
}

/**
 * Builds the context every command gets. Nothing connects until a command asks for a queue or
 * the producer, so `--help` and usage errors never touch Redis. `config` is called on first use,
 * after commander parsed the global flags.
 *
 * Queues share ONE ioredis connection (BullMQ accepts an instance and then leaves it open on
 * `queue.close()`): `stats` reads six queues over one socket. Unlike the workers' connection,
 * it gives up: each attempt waits at most {@link CONNECT_TIMEOUT_MS}, at most
 * {@link CONNECT_RETRIES} retries follow, then every pending and later command fails with the
 * last connection error (ECONNREFUSED, ETIMEDOUT) instead of the CLI waiting forever; a
 * connection not ready after {@link READY_TIMEOUT_MS} is dropped the same way, and a command
 * left unanswered fails after {@link COMMAND_TIMEOUT_MS}.
 */
export function createCliContext(config: () => CliConfig, io: CliIo): CliSession {
  let resolved: CliConfig | undefined;
  const settings = () => (resolved ??= config());
  let client: Redis | undefined;
  const queues = new Map<QueueName, Queue>();
  let producer: JobProducer | undefined;
  let closing: Promise<void> | undefined;

  const connection = (): Redis => {
    if (!client) {
      client = new Redis({
        ...ioRedisOptions(settings().redis, 'producer'),
        // Commands wait for the (single) connection attempt instead of failing at once ...
        enableOfflineQueue: true,
        maxRetriesPerRequest: 1,
        connectTimeout: CONNECT_TIMEOUT_MS,
        commandTimeout: COMMAND_TIMEOUT_MS,
        // ... and the attempts are counted: null ends the connection, failing what waits.
        retryStrategy: (times) => (times > CONNECT_RETRIES ? null : 100 * times),
      });
      // Errors surface through the commands; without a listener ioredis prints each one.
      client.on('error', () => undefined);
      const c = client;
      const notReady = setTimeout(() => {
        // BullMQ's wait for 'ready' fails with the last 'error' once the connection ends.
        const err = Object.assign(new Error(`no answer within ${READY_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' });
        c.emit('error', err);
        c.disconnect();
        // disconnect() only half-closes a connected socket; a peer that never answers never
        // closes its side either, and the socket would keep the process (and the error) waiting.
        c.stream?.destroy();
      }, READY_TIMEOUT_MS);
      notReady.unref();
      c.once('ready', () => clearTimeout(notReady));
      c.once('end', () => clearTimeout(notReady));
    }
    return client;
  };

  const context: CliContext = {
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection: connection(), prefix: settings().prefix });
        // BullMQ re-emits connection errors; an 'error' without a listener would throw.
        queue.on('error', () => undefined);
        queues.set(name, queue);
      }
      return queue;
    },
    async withoutCommandTimeout(fn) {
      const c = connection();
      // ioredis reads `commandTimeout` when each command is sent; the CLI runs one command at a
      // time, so only `fn`'s commands go out while it is off.
      const saved = c.options.commandTimeout;
      c.options.commandTimeout = undefined;
      try {
        return await fn();
      } finally {
        c.options.commandTimeout = saved;
      }
    },
    producer() {
      producer ??= new JobProducer({ redis: settings().redis, prefix: settings().prefix, producerTimeoutMs: CONNECT_TIMEOUT_MS * 2 });
      return producer;
    },
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
    interactive: io.stdout.isTTY === true && io.stderr.isTTY === true,
    confirm: (question) => confirm(io, question),
    get redisDescription() {
      return settings().redisDescription;
    },
    get prefix() {
      return settings().prefix;
    },
    now: io.now ?? Date.now,
    signal: io.signal,
  };

  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // The queues own no socket (they share `client`); on a connection that never became
      // ready or broke, BullMQ's close waits for it in vain, so it is skipped.
      if (!client || client.status === 'ready') await Promise.all([...queues.values()].map((queue) => bounded(queue.close())));
      if (client) {
        const c = client;
        // QUIT on a live connection; a dead or connecting one is dropped (QUIT would wait).
        if (c.status === 'ready') await bounded(c.quit());
        c.disconnect();
      }
      if (producer) await bounded(producer.close());
    })());

  return { context, close };
}

/** `promise`, or nothing after {@link CLOSE_TIMEOUT_MS}; never rejects (clean-up is best effort). */
async function bounded(promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

/** Asks on stderr, reads one line from stdin; false without a terminal, on Ctrl-C or on abort. */
function confirm(io: CliIo, question: string): Promise<boolean> {
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) return Promise.resolve(false);
  return new Promise((resolve) => {
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    const done = (answer: boolean) => {
      io.signal?.removeEventListener('abort', onAbort);
      rl.close();
      resolve(answer);
    };
    const onAbort = () => done(false);
    io.signal?.addEventListener('abort', onAbort, { once: true });
    // readline catches Ctrl-C on a terminal itself: treat it as "no".
    rl.once('SIGINT', () => {
      io.stderr.write('\n');
      done(false);
    });
    rl.question(`${question} `, (answer) => done(/^y(es)?$/i.test(answer.trim())));
  });
}
