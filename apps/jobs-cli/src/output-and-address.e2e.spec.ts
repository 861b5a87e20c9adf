// The built `jobs-cli` process when its reader goes away (`jobs-cli resume --all | head -1`) and
// when the Redis address is something else (an HTTP server): QA findings 9 and 10 of issue 12.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ALL_QUEUE_NAMES } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { runBuiltCli, startBuiltCli } from './test-support/run-built-cli';

const url = testRedisUrl();
const prefix = uniquePrefix('cli-pipe');

/** Runs the built CLI with its stdout pipe closed by the reader before the first line; resolves with exit code and stderr. */
async function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  const child = startBuiltCli(['--prefix', prefix, ...args]);
  // The reader end goes away at once: every write of the child to stdout meets EPIPE.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    // Only catches a hang.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jobs-cli did not exit; stderr: ${stderr}`));
    }, 45_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('a reader that closes stdout early (EPIPE)', () => {
  let connection: Redis;
  const queues = new Map<string, Queue>();
  beforeAll(() => {
    connection = new Redis(url, { maxRetriesPerRequest: null });
    for (const name of ALL_QUEUE_NAMES) queues.set(name, new Queue(name, { connection, prefix }));
  });
  afterAll(async () => {
    await Promise.all([...queues.values()].map((q) => q.close()));
    await deletePrefix(url, prefix);
    connection.disconnect();
  });

  it('resume --all still resumes every queue and exits 0, without a stack', async () => {
    for (const q of queues.values()) await q.pause();
    const run = await runWithClosedStdout(['resume', '--all']);
    expect(run.stderr).not.toMatch(/EPIPE|unexpected error|at /);
    expect(run.code).toBe(0);
    for (const [name, q] of queues) expect([name, await q.isPaused()]).toEqual([name, false]);
  });

  it('list keeps its exit code (0) when nobody reads the table', async () => {
    const email = queues.get('email') as Queue;
    await email.addBulk(Array.from({ length: 200 }, (_, i) => ({ name: 'EMAIL_SYNC', data: { i } })));
    const run = await runWithClosedStdout(['list', 'email', 'waiting', '--limit', '200']);
    expect(run.stderr).not.toMatch(/EPIPE|unexpected error/);
    expect(run.code).toBe(0);
  });

  it('a failing command keeps its own code (2) with stdout closed', async () => {
    const run = await runWithClosedStdout(['list', 'mail', 'failed']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown queue "mail"');
  });
});

describe('an address that is not Redis (an HTTP server)', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('exits 4 saying it is not a Redis server (protocol error), no stack', async () => {
    const run = await runBuiltCli(['stats'], { env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    expect(run.stderr).toContain(`jobs-cli: redis://127.0.0.1:${port}`);
    expect(run.stderr).toContain('is not a Redis server (protocol error)');
    expect(run.stderr).not.toMatch(/unexpected error|Please report|HTTP\/1\.1/);
    expect(run.code).toBe(4);
  });
});
