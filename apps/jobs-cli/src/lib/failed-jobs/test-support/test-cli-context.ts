import { PassThrough } from 'node:stream';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from '@jobs/queue-contracts';
import type { CliContext } from '../../cli-context';

/** A {@link CliContext} for in-process tests, with what it wrote and a way to close its queues. */
export interface TestCliContext {
  readonly ctx: CliContext;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Aborts `ctx.signal` (what Ctrl-C does in `main.ts`). */
  abort(): void;
  close(): Promise<void>;
}

/** Test fixture: a non-interactive context over `connection` under `prefix`. */
export function testCliContext(connection: Redis, prefix: string): TestCliContext {
  const queues = new Map<QueueName, Queue>();
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const controller = new AbortController();
  const ctx: CliContext = {
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection, prefix });
        queues.set(name, queue);
      }
      return queue;
    },
    withoutCommandTimeout: (fn) => fn(),
    producer() {
      throw new Error('not used by these tests');
    },
    stdout: out,
    stderr: err,
    interactive: false,
    confirm: async () => false,
    redisDescription: 'redis://test',
    prefix,
    now: Date.now,
    signal: controller.signal,
  };
  return {
    ctx,
    stdout: () => stdout,
    stderr: () => stderr,
    abort: () => controller.abort(),
    close: async () => {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
    },
  };
}
