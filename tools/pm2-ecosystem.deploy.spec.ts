// ecosystem.config.js against the code its numbers repeat, then run for real: the built apps
// started by the real pm2 (a private daemon in a temporary PM2_HOME), each online and ready, an
// SEO audit held in the middle of a page while `pm2 stop all` runs, and every app exiting 0 with
// the audit completed; then `pm2 kill` leaves no process behind.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Job } from 'bullmq';
import { JobProducer, redisSettingsFromEnv, seoAuditResultSchema } from '@jobs/queue-contracts';
import { deletePrefix, freePort, serveStaticDirectory, startTestServer, testRedisUrl, uniquePrefix, waitFor, type TestServer } from '@jobs/test-support';
import { EXIT_CONFIG_ERROR, loadWorkerConfig } from '@jobs/worker-kit';
import { freePortRange } from './deploy/pm2/free-port-range';
import { isAlive, PrivatePm2, type Pm2Process } from './deploy/pm2/private-pm2';

const ROOT = resolve(__dirname, '..');

/** What ecosystem.config.js exports (it is plain JS, loaded as PM2 loads it). */
interface EcosystemApp {
  name: string;
  script: string;
  cwd: string;
  node_args: string[];
  exec_mode: string;
  instances: number;
  increment_var?: string;
  env: Record<string, string>;
  kill_timeout: number;
  autorestart: boolean;
  stop_exit_codes: number[];
  watch: boolean;
  merge_logs: boolean;
  time: boolean;
}
interface Ecosystem {
  apps: EcosystemApp[];
  ecosystemApps(env: NodeJS.ProcessEnv, dotEnvDir?: string): EcosystemApp[];
  NODE_FLAGS: string[];
  DEFAULT_SHUTDOWN_TIMEOUT_MS: number;
  KILL_MARGIN_MS: number;
  EXIT_CONFIG_ERROR: number;
}
// PM2 loads the file with require; so does this spec.
const ecosystem = require(join(ROOT, 'ecosystem.config.js')) as Ecosystem;

/** The apps a deployment runs: every worker app with a build target, and the dashboard. */
const DEPLOYED_APPS = [
  ...readdirSync(join(ROOT, 'apps')).filter((name) => name.endsWith('-worker') && JSON.parse(readFileSync(join(ROOT, 'apps', name, 'project.json'), 'utf8')).targets?.build),
  'dashboard',
].sort();

/** The health port an app listens on by default, as its config.ts declares it. */
function defaultHealthPort(app: string): number {
  const match = /healthPort: (\d+)/.exec(readFileSync(join(ROOT, 'apps', app, 'src/config.ts'), 'utf8'));
  if (!match) throw new Error(`apps/${app}/src/config.ts declares no healthPort`);
  return Number(match[1]);
}

/** WORKER_NODE_FLAGS as tools/build/esbuild.config.cjs declares them (that module exports esbuild's options only). */
function declaredNodeFlags(): string[] {
  const match = /^const WORKER_NODE_FLAGS = (\[.*\]);$/m.exec(readFileSync(join(ROOT, 'tools/build/esbuild.config.cjs'), 'utf8'));
  if (!match) throw new Error('tools/build/esbuild.config.cjs declares no WORKER_NODE_FLAGS on one line');
  return JSON.parse((match[1] as string).replace(/'/g, '"')) as string[];
}

/** The dashboard's SHUTDOWN_TIMEOUT_MS default, read from its config.ts (an app cannot be imported from tools). */
function dashboardShutdownTimeoutDefault(): number {
  const match = /SHUTDOWN_TIMEOUT_MS: .*\.default\(([\d_]+)\)/.exec(readFileSync(join(ROOT, 'apps/dashboard/src/config.ts'), 'utf8'));
  if (!match) throw new Error('apps/dashboard/src/config.ts declares no SHUTDOWN_TIMEOUT_MS default');
  return Number((match[1] as string).replace(/_/g, ''));
}

describe('ecosystem.config.js', () => {
  it('has one fork-mode app per worker and the dashboard, each running its build with the image\'s Node flags', () => {
    expect(ecosystem.apps.map((a) => a.name).sort()).toEqual(DEPLOYED_APPS);
    expect(DEPLOYED_APPS.length).toBe(7);
    expect(ecosystem.NODE_FLAGS).toEqual(declaredNodeFlags());
    for (const app of ecosystem.apps) {
      expect(app).toMatchObject({ script: `dist/apps/${app.name}/main.js`, cwd: ROOT, node_args: declaredNodeFlags(), exec_mode: 'fork', instances: 1 });
      expect(app).toMatchObject({ autorestart: true, watch: false, merge_logs: true, time: false });
      expect(app.env['HEALTH_PORT']).toBe(String(defaultHealthPort(app.name)));
    }
  });

  it('waits SHUTDOWN_TIMEOUT_MS (the kit\'s and the dashboard\'s default unless set) plus a margin before SIGKILL', () => {
    expect(ecosystem.DEFAULT_SHUTDOWN_TIMEOUT_MS).toBe(loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 0, healthPort: 0 }, {}).shutdownForceMs);
    expect(ecosystem.DEFAULT_SHUTDOWN_TIMEOUT_MS).toBe(dashboardShutdownTimeoutDefault());
    expect(ecosystem.KILL_MARGIN_MS).toBeGreaterThan(0);
    for (const app of ecosystem.ecosystemApps({})) expect(app.kill_timeout).toBe(ecosystem.DEFAULT_SHUTDOWN_TIMEOUT_MS + ecosystem.KILL_MARGIN_MS);
    for (const app of ecosystem.ecosystemApps({ SHUTDOWN_TIMEOUT_MS: '90000' })) expect(app.kill_timeout).toBe(90_000 + ecosystem.KILL_MARGIN_MS);
    expect(() => ecosystem.ecosystemApps({ SHUTDOWN_TIMEOUT_MS: '99' })).toThrow('SHUTDOWN_TIMEOUT_MS=99 must be an integer from 100 to 3600000');
  });

  it('reads SHUTDOWN_TIMEOUT_MS from .env as the apps do, the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm2-dotenv-'));
    try {
      writeFileSync(join(dir, '.env'), '# as in .env.example\nSHUTDOWN_TIMEOUT_MS=45000\n');
      expect(ecosystem.ecosystemApps({}, dir)[0]?.kill_timeout).toBe(45_000 + ecosystem.KILL_MARGIN_MS);
      expect(ecosystem.ecosystemApps({ SHUTDOWN_TIMEOUT_MS: '20000' }, dir)[0]?.kill_timeout).toBe(20_000 + ecosystem.KILL_MARGIN_MS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not restart an app whose configuration was refused', () => {
    expect(ecosystem.EXIT_CONFIG_ERROR).toBe(EXIT_CONFIG_ERROR);
    for (const app of ecosystem.apps) expect(app.stop_exit_codes).toEqual([EXIT_CONFIG_ERROR]);
  });

  it('runs several instances of a worker on consecutive health ports, and refuses ranges that collide', () => {
    const apps = ecosystem.ecosystemApps({ PM2_SEO_WORKER_INSTANCES: '3', PM2_SEO_WORKER_HEALTH_PORT: '9150' });
    expect(apps.find((a) => a.name === 'seo-worker')).toMatchObject({ instances: 3, increment_var: 'HEALTH_PORT', env: { HEALTH_PORT: '9150' } });
    expect(apps.find((a) => a.name === 'ads-worker')).toMatchObject({ instances: 1, env: { HEALTH_PORT: '9106' } });
    expect(apps.find((a) => a.name === 'ads-worker')?.increment_var).toBeUndefined();
    // 9105, 9106, 9107: the ads worker's and the dashboard's ports.
    expect(() => ecosystem.ecosystemApps({ PM2_SEO_WORKER_INSTANCES: '3' })).toThrow(
      'seo-worker (9105-9107) and ads-worker (9106) would share a health port: move one with PM2_SEO_WORKER_HEALTH_PORT or PM2_ADS_WORKER_HEALTH_PORT',
    );
    expect(() => ecosystem.ecosystemApps({ PM2_EMAIL_WORKER_HEALTH_PORT: '0' })).toThrow('PM2_EMAIL_WORKER_HEALTH_PORT=0 must be an integer from 1 to 65535');
    expect(() => ecosystem.ecosystemApps({ PM2_EMAIL_WORKER_INSTANCES: 'two' })).toThrow('PM2_EMAIL_WORKER_INSTANCES=two must be an integer');
    // The dashboard stays one process: the one exporter of queue depth.
    expect(ecosystem.ecosystemApps({ PM2_DASHBOARD_INSTANCES: '2' }).find((a) => a.name === 'dashboard')?.instances).toBe(1);
  });
});

/** HTTP status of GET url, or 0 when nothing answers. */
async function statusOf(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** The sample site, with requests for `/` held until `release()`: an audit stays in the middle of a page. */
async function startHeldSite(): Promise<{ site: TestServer; held: () => boolean; release: () => void }> {
  const serve = serveStaticDirectory(join(ROOT, 'tools/demo/sample-site'));
  const waiting: (() => void)[] = [];
  let released = false;
  const site = await startTestServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/' && !released) waiting.push(() => serve(req, res));
    else serve(req, res);
  });
  return {
    site,
    held: () => waiting.length > 0,
    release: () => {
      released = true;
      for (const answer of waiting.splice(0)) answer();
    },
  };
}

/**
 * How long the held page stays held after the SEO worker got PM2's stop signal: three times PM2's
 * default kill_timeout (1600 ms), far below the worker's grace (48 s here).
 */
const HOLD_AFTER_STOP_SIGNAL_MS = 5000;

describe('the ecosystem under the real pm2', () => {
  const url = testRedisUrl();
  const prefix = uniquePrefix('pm2');
  const shutdownTimeoutMs = 60_000;
  let pm2: PrivatePm2 | undefined;
  let producer: JobProducer | undefined;
  let heldSite: Awaited<ReturnType<typeof startHeldSite>> | undefined;

  afterAll(async () => {
    heldSite?.release();
    await pm2?.destroy();
    await producer?.close();
    await heldSite?.site.close();
    await deletePrefix(url, prefix);
  });

  it('starts every app online and ready; `pm2 stop all` lets a running audit finish and every app exits 0; `pm2 kill` leaves nothing', async () => {
    // Cached by Nx when nothing changed; a fresh clone builds here.
    const build = spawnSync(join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', DEPLOYED_APPS.join(','), '--outputStyle=static'], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: build.status, output: build.status === 0 ? '' : `${build.stdout}\n${build.stderr}` }).toEqual({ status: 0, output: '' });

    heldSite = await startHeldSite();
    const healthPorts = new Map<string, number>();
    for (const app of DEPLOYED_APPS) healthPorts.set(app, await freePort());
    const nowhere = 'http://127.0.0.1:9/';
    const env: Record<string, string> = {
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_HOST: '127.0.0.1',
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
      ...Object.fromEntries([...healthPorts].map(([app, port]) => [`PM2_${app.toUpperCase().replace(/-/g, '_')}_HEALTH_PORT`, String(port)])),
      // Required provider settings: dummy values and URLs where nothing listens; the apps only start.
      EMAIL_TOKEN_URL: nowhere,
      EMAIL_TOKEN_SECRET: 'pm2-test',
      OPENAI_API_KEY: 'sk-pm2-test',
      OPENAI_BASE_URL: nowhere,
      VAPI_API_KEY: 'pm2-test',
      VAPI_PHONE_NUMBER_ID: 'pn-pm2-test',
      VAPI_BASE_URL: nowhere,
      APIFY_TOKEN: 'pm2-test',
      APIFY_ACTOR_ID: 'pm2~test',
      APIFY_BASE_URL: nowhere,
      ADS_TOKEN_URL: nowhere,
      ADS_TOKEN_SECRET: 'pm2-test',
      GOOGLE_ADS_API_URL: nowhere,
      META_GRAPH_URL: nowhere,
      DASHBOARD_HOST: '127.0.0.1',
      DASHBOARD_PORT: String(await freePort()),
      DASHBOARD_SESSION_SECRET: randomBytes(32).toString('hex'),
      DASHBOARD_ADMIN_TOKEN_SHA256: createHash('sha256').update(randomBytes(24)).digest('hex'),
      // The audited site is on loopback, and its held page must outlast the default 10 s timeout.
      SEO_ALLOW_PRIVATE_NETWORKS: 'true',
      SEO_REQUEST_TIMEOUT_MS: '120000',
    };
    pm2 = new PrivatePm2(env);
    const daemon = pm2;
    await daemon.run(['start', 'ecosystem.config.js']);

    const describeAll = (procs: Pm2Process[]) => procs.map((p) => `${p.name}: ${p.pm2_env.status}, restarts ${p.pm2_env.restart_time}\n${daemon.logsOf(p)}`).join('\n');
    let last: Pm2Process[] = [];
    const online = await waitFor(
      'every app online and answering /readyz 200',
      async () => {
        last = await daemon.list();
        if (last.length !== DEPLOYED_APPS.length || last.some((p) => p.pm2_env.status !== 'online')) return false;
        const statuses = await Promise.all(last.map((p) => statusOf(`http://127.0.0.1:${healthPorts.get(p.name)}/readyz`)));
        return statuses.every((s) => s === 200) && last;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${describeAll(last)}`);
    });
    expect(online.map((p) => p.name).sort()).toEqual(DEPLOYED_APPS);
    for (const proc of online) {
      expect(proc.pm2_env).toMatchObject({ exec_mode: 'fork_mode', restart_time: 0, kill_timeout: shutdownTimeoutMs + ecosystem.KILL_MARGIN_MS, node_args: declaredNodeFlags() });
      expect(proc.pm2_env.env['HEALTH_PORT']).toBe(String(healthPorts.get(proc.name)));
      // On the Node running this test (CI runs the suite on Node 20 and on the current LTS).
      expect(readlinkSync(`/proc/${proc.pid}/exe`)).toBe(realpathSync(process.execPath));
      expect(isAlive(proc.pid)).toBe(true);
    }
    const appPids = online.map((p) => p.pid);
    const daemonPid = daemon.daemonPid();
    expect(daemonPid !== undefined && isAlive(daemonPid)).toBe(true);

    // An audit held on its first page: the SEO worker is in the middle of a job when stopped.
    producer = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_URL: url }), prefix });
    const added = await producer.add('SEO_AUDIT', { userId: 'pm2', websiteUrl: `${heldSite.site.origin}/`, depth: 3 });
    const site = heldSite;
    await waitFor('the audit to request the held page', () => site.held(), { timeoutMs: 60_000, intervalMs: 100 });
    const seoReady = `http://127.0.0.1:${healthPorts.get('seo-worker')}/readyz`;
    const stopping = daemon.run(['stop', 'all']);
    // The SEO worker got PM2's signal (it reports not ready from the start of its shutdown) …
    await waitFor('the SEO worker to begin its shutdown', async () => (await statusOf(seoReady)) !== 200, { timeoutMs: 60_000, intervalMs: 100 });
    // … and is still there, its job still running, well past PM2's default kill_timeout (1.6 s),
    // which would have SIGKILLed it: only a kill_timeout above the app's own shutdown keeps it.
    await new Promise((r) => setTimeout(r, HOLD_AFTER_STOP_SIGNAL_MS));
    const seoPid = online.find((p) => p.name === 'seo-worker')?.pid as number;
    expect(isAlive(seoPid)).toBe(true);
    const job = await Job.fromId(producer.queue('seo'), added.id as string);
    expect(await job?.getState()).toBe('active');
    // Then the page it waits for comes back within its grace (80 % of SHUTDOWN_TIMEOUT_MS).
    site.release();
    await stopping;

    const stopped = await daemon.list();
    for (const proc of stopped) {
      const logs = proc.pm2_env.exit_code === 0 ? '' : daemon.logsOf(proc);
      expect({ app: proc.name, status: proc.pm2_env.status, exitCode: proc.pm2_env.exit_code, restarts: proc.pm2_env.restart_time, logs }).toEqual({
        app: proc.name,
        status: 'stopped',
        exitCode: 0,
        restarts: 0,
        logs: '',
      });
    }
    expect(appPids.filter(isAlive)).toEqual([]);
    const finished = await Job.fromId(producer.queue('seo'), added.id as string);
    expect(await finished?.getState()).toBe('completed');
    expect(seoAuditResultSchema.parse(finished?.returnvalue).pagesCrawled).toBe(8);

    await daemon.run(['kill']);
    await waitFor('the PM2 daemon to exit', () => !isAlive(daemonPid as number), { timeoutMs: 30_000, intervalMs: 100 });
    expect(daemon.daemonPid()).toBeUndefined();
  }, 600_000);

  it('runs two SEO instances on consecutive health ports, and leaves an app whose configuration is refused stopped', async () => {
    const base = await freePortRange(2);
    const secondPm2 = new PrivatePm2({
      REDIS_URL: url,
      BULLMQ_PREFIX: prefix,
      HEALTH_HOST: '127.0.0.1',
      PM2_SEO_WORKER_INSTANCES: '2',
      PM2_SEO_WORKER_HEALTH_PORT: String(base),
      PM2_EMAIL_WORKER_HEALTH_PORT: String(await freePort()),
      // Invalid whatever a developer's .env holds (the environment wins over it).
      EMAIL_TOKEN_URL: 'not-a-url',
    });
    const daemon = secondPm2;
    try {
      await daemon.run(['start', 'ecosystem.config.js', '--only', 'seo-worker,email-worker']);
      let last: Pm2Process[] = [];
      const describeAll = () => last.map((p) => `${p.name}: ${p.pm2_env.status}, exit ${p.pm2_env.exit_code}, restarts ${p.pm2_env.restart_time}\n${daemon.logsOf(p)}`).join('\n');
      const seoReady = (port: number) => statusOf(`http://127.0.0.1:${port}/readyz`);
      await waitFor(
        'two SEO instances ready and the email worker exited',
        async () => {
          last = await daemon.list();
          const seo = last.filter((p) => p.name === 'seo-worker');
          const email = last.find((p) => p.name === 'email-worker');
          if (seo.length !== 2 || seo.some((p) => p.pm2_env.status !== 'online') || email?.pm2_env.exit_code === undefined) return false;
          return (await seoReady(base)) === 200 && (await seoReady(base + 1)) === 200;
        },
        { timeoutMs: 120_000, intervalMs: 500 },
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n${describeAll()}`);
      });
      const seo = last.filter((p) => p.name === 'seo-worker').sort((a, b) => a.pm_id - b.pm_id);
      expect(seo.map((p) => String(p.pm2_env.env['HEALTH_PORT']))).toEqual([String(base), String(base + 1)]);
      // Give a wrong restart (100 ms backoff) twenty times its delay to happen.
      await new Promise((r) => setTimeout(r, 2000));
      const email = (await daemon.list()).find((p) => p.name === 'email-worker') as Pm2Process;
      expect({ exitCode: email.pm2_env.exit_code, restarts: email.pm2_env.restart_time, pid: email.pid }).toEqual({ exitCode: EXIT_CONFIG_ERROR, restarts: 0, pid: 0 });
      expect(daemon.logsOf(email)).toContain('EMAIL_TOKEN_URL');

      await daemon.run(['stop', 'seo-worker']);
      const stopped = (await daemon.list()).filter((p) => p.name === 'seo-worker');
      expect(stopped.map((p) => [p.pm2_env.status, p.pm2_env.exit_code])).toEqual([
        ['stopped', 0],
        ['stopped', 0],
      ]);
      expect(seo.map((p) => p.pid).filter(isAlive)).toEqual([]);
      const daemonPid = daemon.daemonPid() as number;
      await daemon.run(['kill']);
      await waitFor('the PM2 daemon to exit', () => !isAlive(daemonPid), { timeoutMs: 30_000, intervalMs: 100 });
    } finally {
      await daemon.destroy();
    }
  }, 300_000);
});
