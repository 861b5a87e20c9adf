import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';

const ROOT = resolve(__dirname, '..');
const APPS = readdirSync(join(ROOT, 'apps')).filter((name) => name.endsWith('-worker'));

// `npm run workers` as a person runs it: the real script, its real builds, real worker
// processes on the test Redis (own prefix) with health servers on free ports (HEALTH_PORT=0),
// from a directory whose .env gives the voice worker its two variables.
describe('npm run workers', () => {
  const prefix = uniquePrefix('workers');
  const cwd = mkdtempSync(join(tmpdir(), 'run-workers-'));
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (child && child.exitCode === null) {
      // Second signal: the script kills its workers.
      child.kill('SIGINT');
      child.kill('SIGINT');
    }
    rmSync(cwd, { recursive: true, force: true });
    await deletePrefix(testRedisUrl(), prefix);
  });

  it('runs the workers that can run, says why the others did not, and stops them all on Ctrl-C', async () => {
    writeFileSync(join(cwd, '.env'), 'VAPI_API_KEY=from-dot-env\nVAPI_PHONE_NUMBER_ID=pn-from-dot-env\n');
    child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(ROOT, 'tools/workers.ts')], {
      cwd,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? cwd,
        TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'),
        REDIS_URL: testRedisUrl(),
        BULLMQ_PREFIX: prefix,
        HEALTH_PORT: '0',
        NX_DAEMON: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (output += String(d)));
    child.stderr?.on('data', (d) => (output += String(d)));
    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));

    const summary = await waitFor('the summary line', () => output.split('\n').find((line) => / of \d+ workers running/.test(line)), {
      timeoutMs: 540_000,
      intervalMs: 200,
    });
    expect(output).toContain(`loaded ${join(cwd, '.env')}`);
    const others = APPS.filter((app) => !['seo-worker', 'voice-worker', 'email-worker', 'enrichment-worker', 'ads-worker'].includes(app));
    expect(summary).toMatch(new RegExp(`^${2 + others.length} of ${APPS.length} workers running \\(`));
    expect(summary).toContain('seo-worker');
    expect(summary).toContain('voice-worker');
    expect(summary).toContain('email-worker did not start: missing EMAIL_TOKEN_URL, EMAIL_TOKEN_SECRET, OPENAI_API_KEY');
    expect(summary).toContain('enrichment-worker did not start: missing APIFY_TOKEN, APIFY_ACTOR_ID');
    expect(summary).toContain('ads-worker did not start: missing ADS_TOKEN_URL, ADS_TOKEN_SECRET');
    expect(summary).not.toContain('Invalid input');

    // The running ones keep going after the others gave up.
    await new Promise((r) => setTimeout(r, 1000));
    expect(child.exitCode).toBeNull();
    expect(output).not.toMatch(/\[(seo|voice)-worker\] exited/);

    child.kill('SIGINT');
    await expect(exited).resolves.toBe(0);
    expect(output).toContain('[seo-worker] exited 0');
    expect(output).toContain('[voice-worker] exited 0');
  }, 600_000);
});
