import { createInterface } from 'node:readline';
import { Queue } from 'bullmq';
import { JobProducer, queuePrefix, type QueueName } from '@jobs/queue-contracts';
import type { CliContext } from './cli-context';
import type { CliConfig } from './load-cli-config';
import { CONNECT_TIMEOUT_MS, openCliConnection, type CliConnection } from './open-cli-connection';

export { COMMAND_TIMEOUT_MS, CONNECT_RETRIES, CONNECT_TIMEOUT_MS, READY_TIMEOUT_MS } from './open-cli-connection';

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
 * Queues share ONE client ({@link openCliConnection}: an ioredis `Redis`, or a `Cluster` when
 * `REDIS_CLUSTER_NODES` is set; BullMQ accepts an instance and then leaves it open on
 * `queue.close()`): `stats` reads six queues over one socket (one per master on a cluster). Each
 * queue is opened under `queuePrefix({ redis, prefix }, queue)`, the prefix producers and workers
 * use (`<prefix>:{group}` on a cluster). Unlike the workers' connection, it gives up: see
 * {@link openCliConnection} for its connect, ready and command timeouts.
 */
export function createCliContext(config: () => CliConfig, io: CliIo): CliSession {
  let resolved: CliConfig | undefined;
  const settings = () => (resolved ??= config());
  let opened: CliConnection | undefined;
  const queues = new Map<QueueName, Queue>();
  let producer: JobProducer | undefined;
  let closing: Promise<void> | undefined;

  const connection = (): CliConnection => (opened ??= openCliConnection(settings().redis));

  const context: CliContext = {
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection: connection().client, prefix: queuePrefix(settings(), name) });
        // BullMQ re-emits connection errors; an 'error' without a listener would throw.
        queue.on('error', () => undefined);
        queues.set(name, queue);
      }
      return queue;
    },
    withoutCommandTimeout(fn) {
      return connection().withoutCommandTimeout(fn);
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
      // The queues own no socket (they share the client); on a connection that never became
      // ready or broke, BullMQ's close waits for it in vain, so it is skipped.
      const client = opened?.client;
      if (!client || client.status === 'ready') await Promise.all([...queues.values()].map((queue) => bounded(queue.close())));
      if (client) {
        // QUIT on a live connection (every node of a cluster); a dead or connecting one is
        // dropped (QUIT would wait).
        if (client.status === 'ready') await bounded(client.quit());
        client.disconnect();
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
