// docker-compose.yml, checked without Docker (no engine here or in CI): against the Compose
// Specification's JSON schema, then against what the apps and docker/Dockerfile say.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadWorkerConfig } from '@jobs/worker-kit';
import { composeSchemaValidator } from './deploy/compose/compose-schema';
import { type ComposeFile, loadComposeFile } from './deploy/compose/load-compose-file';
import { dockerDurationMs } from './deploy/image/docker-duration';
import { parseDockerfile } from './deploy/image/parse-dockerfile';
import { replayRuntimeStage } from './deploy/image/replay-runtime-stage';

const ROOT = resolve(__dirname, '..');
const COMPOSE_PATH = join(ROOT, 'docker-compose.yml');
const APPS = [...readdirSync(join(ROOT, 'apps')).filter((name) => name.endsWith('-worker')), 'dashboard'].sort();

/** A number an app's config.ts declares, e.g. `healthPort: 9105`. */
function configNumber(app: string, key: string): number {
  const match = new RegExp(`${key}: (\\d+)`).exec(readFileSync(join(ROOT, 'apps', app, 'src/config.ts'), 'utf8'));
  if (!match) throw new Error(`apps/${app}/src/config.ts declares no ${key}`);
  return Number(match[1]);
}

/** The Dockerfile's HEALTHCHECK as the runtime stage declares it (its COPY/RUN are not run: no stage is given to copy from). */
function dockerfileHealthcheck(): { argv: readonly string[]; intervalMs: number; timeoutMs: number; startPeriodMs: number; retries: number } {
  const parsed = parseDockerfile(readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8'));
  const runtime = parsed.stages[parsed.stages.length - 1];
  if (!runtime) throw new Error('docker/Dockerfile has no stage');
  const declared = { ...runtime, instructions: runtime.instructions.filter((i) => !['COPY', 'RUN'].includes(i.keyword)) };
  const replay = replayRuntimeStage(declared, { APP: 'dashboard', HEALTH_PORT: '9107' }, {}, {});
  replay.remove();
  if (!replay.healthcheck) throw new Error('docker/Dockerfile has no HEALTHCHECK');
  return replay.healthcheck;
}

describe('docker-compose.yml', () => {
  const compose = loadComposeFile(COMPOSE_PATH);
  const validate = composeSchemaValidator();

  it('is valid against the Compose Specification schema', () => {
    expect(validate(compose)).toEqual([]);
  });

  it('the schema check catches a misspelt key and a wrong depends_on condition', () => {
    const misspelt = structuredClone(compose) as { services: Record<string, Record<string, unknown>> };
    (misspelt.services['seo-worker'] as Record<string, unknown>)['stop_grace_perod'] = '45s';
    expect(validate(misspelt).map((e) => e.message)).toContain('must NOT have additional properties');
    const condition = structuredClone(compose) as ComposeFile;
    (condition.services['seo-worker']?.depends_on as Record<string, { condition: string }>)['redis'] = { condition: 'healthy' };
    expect(validate(condition)).not.toEqual([]);
  });

  it('runs Redis from the official image with AOF on, noeviction, a named volume and a ping healthcheck', () => {
    const redis = compose.services['redis'];
    expect(redis?.image).toMatch(/^redis:\d/);
    expect(redis?.command).toEqual(['redis-server', '--appendonly', 'yes', '--maxmemory-policy', 'noeviction']);
    expect(redis?.volumes).toEqual(['redis-data:/data']);
    expect(Object.keys(compose.volumes ?? {})).toContain('redis-data');
    expect(String(redis?.healthcheck?.test)).toContain('redis-cli ping');
  });

  it('runs every deployable app, and only those, beside Redis', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...APPS, 'redis'].sort());
  });

  const defaultShutdownTimeoutMs = loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 0, healthPort: 0 }, {}).shutdownTimeoutMs;
  const healthcheck = dockerfileHealthcheck();

  it.each(APPS)('%s: built from docker/Dockerfile with its app and health port, on the compose Redis, healthy like the image, stopped after its shutdown timeout', (app) => {
    const service = compose.services[app];
    const port = String(configNumber(app, 'healthPort'));
    expect(service?.build).toEqual({ context: '.', dockerfile: 'docker/Dockerfile', args: { APP: app, HEALTH_PORT: port } });
    expect(service?.environment?.['HEALTH_PORT']).toBe(port);
    expect(service?.environment?.['REDIS_URL']).toBe('redis://redis:6379');
    expect(service?.env_file).toBe('.env');
    expect(service?.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(service?.healthcheck?.test).toEqual(['CMD', ...healthcheck.argv]);
    expect(dockerDurationMs(service?.healthcheck?.interval ?? '')).toBe(healthcheck.intervalMs);
    expect(dockerDurationMs(service?.healthcheck?.timeout ?? '')).toBe(healthcheck.timeoutMs);
    expect(dockerDurationMs(service?.healthcheck?.start_period ?? '')).toBe(healthcheck.startPeriodMs);
    expect(service?.healthcheck?.retries).toBe(healthcheck.retries);
    expect(dockerDurationMs(service?.stop_grace_period ?? '')).toBeGreaterThan(defaultShutdownTimeoutMs);
  });

  it('publishes the dashboard UI port and nothing of the workers', () => {
    const uiPort = configNumber('dashboard', 'httpPort');
    expect(compose.services['dashboard']?.ports).toEqual([`${uiPort}:${uiPort}`]);
    expect(compose.services['dashboard']?.environment?.['DASHBOARD_PORT']).toBe(String(uiPort));
    for (const app of APPS.filter((a) => a !== 'dashboard')) expect(compose.services[app]?.ports).toBeUndefined();
  });
});
