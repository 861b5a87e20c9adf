// `npm run smoke:built`: the built SEO worker runs alone. Copies dist/apps/seo-worker to an
// empty folder outside the repo (so nothing resolves from the workspace's node_modules),
// installs its generated package.json with `npm install --omit=dev`, starts `node main.js`,
// and has it audit the sample site through Redis; then SIGTERM must exit 0.
// Prints `1 passed, 0 failed` or exits non-zero with the reason.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, redisSettingsFromEnv, seoAuditResultSchema } from '@jobs/queue-contracts';
import { deletePrefix, serveStaticDirectory, startTestServer, testRedisUrl, uniquePrefix } from '@jobs/test-support';

const root = resolve(__dirname, '../..');
const dist = join(root, 'dist/apps/seo-worker');

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function main(): Promise<void> {
  check(existsSync(join(dist, 'main.js')), `${dist}/main.js is missing: run \`npx nx build seo-worker\` first`);
  const dir = mkdtempSync(join(tmpdir(), 'seo-worker-built-'));
  const url = testRedisUrl();
  const prefix = uniquePrefix('built');
  const site = await startTestServer(serveStaticDirectory(join(root, 'tools/demo/sample-site')));
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const producer = new JobProducer({ redis, prefix });
  const events = new QueueEvents('seo', { connection: ioRedisOptions(redis, 'worker'), prefix });
  try {
    cpSync(dist, dir, { recursive: true });
    process.stdout.write(`installing the bundle's production dependencies in ${dir} …\n`);
    const install = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
    check(install.status === 0, `npm install --omit=dev failed:\n${install.stderr}`);
    check(!existsSync(join(dir, 'node_modules/typescript')), 'dev dependencies were installed');

    const worker = spawn(process.execPath, ['main.js'], {
      cwd: dir,
      env: { PATH: process.env['PATH'], REDIS_URL: url, BULLMQ_PREFIX: prefix, HEALTH_PORT: '0', SEO_ALLOW_PRIVATE_NETWORKS: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    worker.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((r) => worker.once('exit', (code) => r(code)));
    const started = new Promise<void>((resolveStarted, reject) => {
      createInterface({ input: worker.stdout }).on('line', (line) => {
        if (line.includes('"worker started"')) resolveStarted();
      });
      void exited.then((code) => reject(new Error(`the built worker exited (${code}) before starting:\n${stderr}`)));
    });
    await started;
    await events.waitUntilReady();
    const job = await producer.add('SEO_AUDIT', { userId: 'smoke', websiteUrl: `${site.origin}/`, depth: 3 });
    const result = seoAuditResultSchema.parse(await job.waitUntilFinished(events, 60_000));
    check(result.pagesCrawled === 8, `expected 8 pages crawled from the sample site, got ${result.pagesCrawled}`);
    worker.kill('SIGTERM');
    const code = await exited;
    check(code === 0, `the built worker exited ${code} on SIGTERM, not 0:\n${stderr}`);
    process.stdout.write(`built seo-worker audited ${result.pagesCrawled} pages (score ${result.score}) and exited 0\n`);
  } finally {
    await Promise.all([producer.close(), events.close(), site.close()]);
    await deletePrefix(url, prefix);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => {
    process.stdout.write('1 passed, 0 failed\n');
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`built-worker smoke test failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
