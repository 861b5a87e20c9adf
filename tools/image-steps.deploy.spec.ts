// The image's steps, replayed from docker/Dockerfile's text without a container engine (there is
// none on our machines or in CI): the build stage's RUN lines run in the checkout (nx build), the
// runtime stage's COPY/RUN lay the app out in an empty folder and install its generated manifest,
// and its CMD runs as an unprivileged user until its HEALTHCHECK passes; the STOPSIGNAL must then
// end it with exit 0. Editing the Dockerfile changes what runs here.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deletePrefix, freePort, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { type ContainerIdentity, processIds, runHealthcheck, startContainerProcess } from './deploy/image/container-process';
import { containerUser } from './deploy/image/container-user';
import { imageNodeBin, nodeMajorOfImage } from './deploy/image/image-node';
import { parseDockerfile } from './deploy/image/parse-dockerfile';
import { type ImageReplay, replayImage } from './deploy/image/replay-image';

const ROOT = resolve(__dirname, '..');
const DOCKERFILE = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');
// Every deployed app: the workers and the dashboard (the jobs CLI is not an image).
const APPS = [...readdirSync(join(ROOT, 'apps')).filter((name) => name.endsWith('-worker')), 'dashboard'].sort();
// `nobody`: owns no file here (uid 1000 may own the checkout on a developer's machine), so the
// app can read its folder and write nothing — as the image's root-owned /app is to uid 1000.
const NOBODY: ContainerIdentity = { uid: 65534, gid: 65534 };
// Root (CI) drops to nobody with setpriv; a developer's non-root `npm test` runs the CMD as itself.
const CURRENT_UID = process.getuid?.();
const RUN_AS = containerUser(CURRENT_UID, NOBODY);
// Generous: these only catch hangs (a build of one app takes ~20 s, npm ci ~10 s).
const APP_TIMEOUT_MS = 300_000;
const HEALTHY_WITHIN_MS = 60_000;

/** The health port an app listens on by default, as its config.ts declares it. */
function defaultHealthPort(app: string): number {
  const match = /healthPort: (\d+)/.exec(readFileSync(join(ROOT, 'apps', app, 'src/config.ts'), 'utf8'));
  if (!match) throw new Error(`apps/${app}/src/config.ts declares no healthPort`);
  return Number(match[1]);
}

// Variables an app refuses to start without (its outside services' settings): placeholders, as
// no job runs here and no app calls its service at start-up. Port 9 (discard) is never dialled.
const REQUIRED_SETTINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'ads-worker': { ADS_TOKEN_URL: 'http://127.0.0.1:9/tokens', ADS_TOKEN_SECRET: 'replay-secret' },
  'email-worker': { EMAIL_TOKEN_URL: 'http://127.0.0.1:9/tokens', EMAIL_TOKEN_SECRET: 'replay-secret', OPENAI_API_KEY: 'sk-replay' },
  'enrichment-worker': { APIFY_TOKEN: 'apify-replay', APIFY_ACTOR_ID: 'replay~enricher' },
  'voice-worker': { VAPI_API_KEY: 'vapi-replay-key', VAPI_PHONE_NUMBER_ID: 'pn-replay' },
};

/** What `docker run -e …` would add for `app`: Redis, a key prefix of its own, free ports, its required settings; the dashboard's login secrets. */
async function runEnv(app: string, prefix: string): Promise<Record<string, string>> {
  const env: Record<string, string> = { ...REQUIRED_SETTINGS[app], REDIS_URL: testRedisUrl(), BULLMQ_PREFIX: prefix, HEALTH_PORT: String(await freePort()) };
  if (app === 'dashboard') {
    env['DASHBOARD_PORT'] = String(await freePort());
    env['DASHBOARD_SESSION_SECRET'] = randomBytes(32).toString('hex');
    env['DASHBOARD_ADMIN_TOKEN_SHA256'] = createHash('sha256').update(randomBytes(24)).digest('hex');
  }
  return env;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('docker/Dockerfile as written', () => {
  const parsed = parseDockerfile(DOCKERFILE);
  const runtime = parsed.stages[parsed.stages.length - 1];

  it('builds from the current Node LTS slim image, pinned by tag, in a build and a runtime stage', () => {
    expect(parsed.globalArgs.map((a) => a.args)).toContain('NODE_IMAGE=node:24-bookworm-slim');
    expect(parsed.stages.map((s) => [s.name, s.from])).toEqual([
      ['build', '${NODE_IMAGE}'],
      ['runtime', '${NODE_IMAGE}'],
    ]);
  });

  it('runs a numeric non-root user, exec-form CMD and HEALTHCHECK on /healthz, NODE_ENV=production, an install of the generated manifest only', () => {
    const get = (keyword: string): string[] => (runtime?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);
    const user = get('USER');
    expect(user).toHaveLength(1);
    expect(user[0]).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(get('CMD')[0]).toMatch(/^\[.*\]$/);
    expect(get('HEALTHCHECK')[0]).toMatch(/^CMD \[.*\/healthz.*\]$/);
    expect(get('ENV')).toContain('NODE_ENV=production');
    expect(get('RUN')).toEqual([expect.stringMatching(/^npm ci --omit=dev /)]);
  });
});

// The image's Node (its base image's major, e.g. 24) runs the replayed CMD and HEALTHCHECK, not
// the Node running the tests (20 here): installed once from npm's `node` package and cached.
let imageNodePath = '';
beforeAll(() => {
  const parsed = parseDockerfile(DOCKERFILE);
  const image = parsed.globalArgs.map((a) => /^NODE_IMAGE=(.+)$/.exec(a.args)?.[1]).find(Boolean) ?? '';
  imageNodePath = imageNodeBin(nodeMajorOfImage(image));
}, APP_TIMEOUT_MS);

describe.each(APPS)('the %s image, replayed', (app) => {
  const prefix = uniquePrefix(`image-${app}`);
  let replay: ImageReplay | undefined;

  afterAll(async () => {
    replay?.runtime.remove();
    await deletePrefix(testRedisUrl(), prefix);
  });

  it(
    `builds, installs only its own production dependencies into an empty folder, runs as ${RUN_AS ? 'uid 65534' : 'the current non-root user'} until healthy and exits 0 on its STOPSIGNAL`,
    async () => {
      const port = defaultHealthPort(app);
      replay = replayImage(DOCKERFILE, { APP: app, HEALTH_PORT: String(port) }, ROOT);
      const { build, runtime } = replay;
      expect(replay.baseImage).toBe('node:24-bookworm-slim');
      expect(build.ran).toContain('npx nx build ${APP} --configuration=production');
      expect(build.skipped).toEqual([expect.stringMatching(/^npm ci /)]);

      // Only the bundle and what its generated manifest lists: no dev tools, no workspace.
      const manifest = JSON.parse(readFileSync(join(runtime.workdir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
      for (const name of Object.keys(manifest.dependencies)) expect(existsSync(join(runtime.workdir, 'node_modules', name, 'package.json'))).toBe(true);
      for (const devOnly of ['typescript', 'nx', 'jest', '@jobs']) expect(existsSync(join(runtime.workdir, 'node_modules', devOnly))).toBe(false);
      expect(existsSync(join(runtime.workdir, 'main.js'))).toBe(true);
      expect(runtime.env).toMatchObject({ NODE_ENV: 'production', HEALTH_PORT: String(port) });
      expect(runtime.exposed).toEqual([String(port)]);
      expect(runtime.command.execForm).toBe(true);
      expect(runtime.healthcheck?.execForm).toBe(true);

      // The image's ENV, then `docker run -e`: a free port instead of the default one, which a
      // worker of another test may hold. PATH finds the image's Node first.
      const env = { PATH: `${imageNodePath}:${process.env['PATH'] ?? ''}`, ...runtime.env, ...(await runEnv(app, prefix)) };
      expect(spawnSync('node', ['-v'], { env, encoding: 'utf8' }).stdout).toMatch(new RegExp(`^v${nodeMajorOfImage(replay.baseImage)}\\.`));
      expect(runHealthcheck(runtime, RUN_AS, env)).not.toBe(0);
      const container = startContainerProcess(runtime, RUN_AS, env);
      try {
        const deadline = Date.now() + HEALTHY_WITHIN_MS;
        let exited = false;
        void container.exited.then(() => (exited = true));
        while (runHealthcheck(runtime, RUN_AS, env) !== 0) {
          if (exited || Date.now() > deadline) throw new Error(`${app} ${exited ? 'exited' : 'was not healthy'} before its HEALTHCHECK passed:\n${container.output()}`);
          await sleep(250);
        }
        const ids = processIds(container.pid);
        if (RUN_AS) {
          expect(ids.uids).toEqual([65534, 65534, 65534, 65534]);
          expect(ids.gids).toEqual([65534, 65534, 65534, 65534]);
          expect(ids.groups).toEqual([]);
        } else {
          expect(ids.uids).toEqual([CURRENT_UID, CURRENT_UID, CURRENT_UID, CURRENT_UID]);
          expect(ids.uids).not.toContain(0);
        }
        container.kill(runtime.stopSignal);
        const result = await container.exited;
        if (result.code !== 0) throw new Error(`${app} ended ${JSON.stringify(result)} on ${runtime.stopSignal}, not exit 0:\n${container.output()}`);
        expect(runHealthcheck(runtime, RUN_AS, env)).not.toBe(0);
      } finally {
        container.kill('SIGKILL');
        await container.exited;
      }
    },
    APP_TIMEOUT_MS,
  );
});
