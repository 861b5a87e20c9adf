// `npm run demo [-- <url | folder>] [--depth N] [--max-pages N]`
//
// Runs the platform end to end on one machine: Redis (REDIS_URL, or a throwaway redis-server),
// the SEO worker as its own process, a typed producer enqueueing SEO_AUDIT, progress while it
// crawls, a readable summary, then a clean shutdown of everything it started.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { QueueEvents } from 'bullmq';
import {
  ioRedisOptions,
  JobProducer,
  redisSettingsFromEnv,
  seoAuditProgressSchema,
  seoAuditResultSchema,
} from '@jobs/queue-contracts';
import {
  REPO_ROOT,
  RedisServerMissingError,
  serveStaticDirectory,
  spawnWorkerProcess,
  startTestServer,
  startThrowawayRedis,
  type TestServer,
  type ThrowawayRedis,
  type WorkerProcess,
} from '@jobs/test-support';
import { formatAuditSummary } from './format-audit-summary';
import { progressLine } from './progress-line';

const SAMPLE_SITE = join(__dirname, 'sample-site');
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      depth: { type: 'string', default: '3' },
      'max-pages': { type: 'string', default: '2000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    say('usage: npm run demo [-- <url | folder>] [--depth N] [--max-pages N]');
    say('  no target: audits the sample site in tools/demo/sample-site');
    return 0;
  }
  const depth = values.depth.trim() === '' ? NaN : Number(values.depth);
  const maxPages = values['max-pages'].trim() === '' ? NaN : Number(values['max-pages']);
  if (!Number.isInteger(depth) || depth < 0 || depth > 20) throw new Error(`--depth must be a whole number from 0 to 20, not "${values.depth}"`);
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new Error(`--max-pages must be a positive whole number, not "${values['max-pages']}"`);

  const cleanup: (() => Promise<void>)[] = [];
  // Runs once, whoever asks first (the end of the run or a signal); both wait for the same end.
  let cleaning: Promise<void> | undefined;
  const runCleanup = () =>
    (cleaning ??= (async () => {
      for (const step of cleanup.reverse()) await step().catch(() => undefined);
    })());
  let interrupted = false;
  // Ctrl-C, a closed terminal or a kill: stop what this run started before exiting. A closed
  // stdout (e.g. piped into `head`) must not crash the run before its clean-up either.
  process.stdout.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interrupted) return; // a repeated Ctrl-C must not cut the clean-up short
      interrupted = true;
      say('\ninterrupted: stopping the worker and cleaning up …');
      void runCleanup().then(() => process.exit(130));
    });
  }

  try {
    // 1. The target: a URL as given, or a folder served on loopback.
    const target = positionals[0] ?? SAMPLE_SITE;
    let websiteUrl: string;
    let servesLocally = false;
    if (/^https?:\/\//i.test(target)) {
      websiteUrl = target;
    } else {
      const folder = resolve(target);
      if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`"${target}" is neither an http(s) URL nor a folder`);
      const server: TestServer = await startTestServer(serveStaticDirectory(folder));
      cleanup.push(() => server.close());
      websiteUrl = `${server.origin}/`;
      servesLocally = true;
      say(`serving ${folder} at ${websiteUrl}`);
    }

    // 2. Redis.
    let redisUrl = process.env['REDIS_URL'];
    if (redisUrl) {
      say(`using Redis at REDIS_URL`);
    } else {
      const redis: ThrowawayRedis = await startThrowawayRedis();
      cleanup.push(() => redis.stop());
      redisUrl = redis.url;
      say(`started a throwaway redis-server on ${redis.url} (nothing kept on disk)`);
    }
    const prefix = `demo-${process.pid}`;
    const redisSettings = redisSettingsFromEnv({ REDIS_URL: redisUrl });

    // 3. The SEO worker, as its own process.
    const worker: WorkerProcess = spawnWorkerProcess('apps/seo-worker/src/main.ts', {
      REDIS_URL: redisUrl,
      BULLMQ_PREFIX: prefix,
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      SEO_MAX_PAGES: String(maxPages),
      // Loopback is refused by default (SSRF guard); the demo allows it only for its own server.
      SEO_ALLOW_PRIVATE_NETWORKS: servesLocally ? 'true' : 'false',
      // Short, so Ctrl-C stops a long audit within a few seconds (it is handed back, not lost).
      SHUTDOWN_TIMEOUT_MS: '3000',
    }, { ownProcessGroup: true });
    const logFile = join(REPO_ROOT, 'tmp', 'demo-seo-worker.log');
    cleanup.push(async () => {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGTERM');
        const exit = await worker.exited;
        say(`seo-worker stopped (exit code ${exit.code})`);
      }
      mkdirSync(join(REPO_ROOT, 'tmp'), { recursive: true });
      writeFileSync(logFile, worker.lines.map((l) => JSON.stringify(l)).join('\n') + '\n' + worker.stderr());
      say(`worker log: ${logFile}`);
    });
    const started = await worker.waitForLine((l) => l['msg'] === 'worker started', 30_000);
    say(`seo-worker started (pid ${worker.child.pid}, health on http://127.0.0.1:${started['healthPort']}/readyz)`);

    // 4. Enqueue through the typed producer and follow the job.
    const producer = new JobProducer({ redis: redisSettings, prefix });
    const events = new QueueEvents('seo', { connection: ioRedisOptions(redisSettings, 'worker'), prefix });
    cleanup.push(() => producer.close());
    // On a Redis of the user's, leave nothing behind under this run's prefix.
    if (process.env['REDIS_URL']) cleanup.push(() => producer.queue('seo').obliterate({ force: true }));
    cleanup.push(() => events.close());
    await events.waitUntilReady();
    const job = await producer.add('SEO_AUDIT', { userId: 'demo-user', websiteUrl, depth, includeCompetitors: true });
    say(`enqueued SEO_AUDIT job ${job.id} for ${websiteUrl} (depth ${depth}, page cap ${maxPages})`);

    const tty = process.stdout.isTTY;
    let lastLine = '';
    let lastPrinted = 0;
    events.on('progress', ({ jobId, data }) => {
      if (jobId !== job.id) return;
      const parsed = seoAuditProgressSchema.safeParse(data);
      if (!parsed.success) return;
      const line = progressLine(parsed.data);
      if (tty) process.stdout.write(`\r\x1b[K  ${line}`);
      else if (line.split(':')[0] !== lastLine.split(':')[0] || Date.now() - lastPrinted > 2000) {
        say(`  ${line}`);
        lastPrinted = Date.now();
      }
      lastLine = line;
    });
    // If the worker dies the job would wait for a stalled-job check; say so instead of hanging.
    let finished = false;
    const workerDied = worker.exited.then(({ code, signal }) => {
      if (!finished) throw new Error(`the seo-worker exited (${signal ?? code}) before the audit finished; its log is in ${logFile}`);
    });
    workerDied.catch(() => undefined); // observed through the race below
    const raw = await Promise.race([job.waitUntilFinished(events), workerDied]);
    finished = true;
    if (tty) process.stdout.write('\n');
    const result = seoAuditResultSchema.parse(raw);
    say('');
    say(formatAuditSummary(result));
    say('');
    return 0;
  } catch (err) {
    if (interrupted) return 130;
    if (err instanceof RedisServerMissingError) {
      process.stderr.write(`\n${err.message}\n`);
      return 1;
    }
    process.stderr.write(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await runCleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.stderr.write('usage: npm run demo [-- <url | folder>] [--depth N] [--max-pages N]\n');
    process.exit(1);
  },
);
