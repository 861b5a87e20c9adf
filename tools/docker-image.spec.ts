import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const DOCKERFILE = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');
// Every deployed app: the workers and the dashboard (the jobs CLI is not an image).
const APPS = [...readdirSync(join(ROOT, 'apps')).filter((name) => name.endsWith('-worker')), 'dashboard'];

/** The health port an app listens on by default, as its config.ts declares it. */
function defaultHealthPort(app: string): number {
  const match = /healthPort: (\d+)/.exec(readFileSync(join(ROOT, 'apps', app, 'src/config.ts'), 'utf8'));
  if (!match) throw new Error(`apps/${app}/src/config.ts declares no healthPort`);
  return Number(match[1]);
}

/** Runs the Dockerfile's `RUN` line that mentions `marker` with `sh`, in the repo, with `env`. */
function runGuard(marker: string, env: Record<string, string>): number | null {
  const line = DOCKERFILE.split('\n').find((l) => l.startsWith('RUN ') && l.includes(marker));
  if (!line) throw new Error(`no RUN line with ${marker} in docker/Dockerfile`);
  return spawnSync('sh', ['-c', line.slice('RUN '.length)], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...env }, encoding: 'utf8' }).status;
}

// No Docker daemon in CI: the Dockerfile's port logic is read as text, and its shell checks run.
// (The Kubernetes manifests' ports, probes and secrets are checked on the rendered kustomize
// output by tools/kustomize.spec.ts; the whole image is replayed by tools/image-steps.deploy.spec.ts.)
describe('docker/Dockerfile', () => {
  it('exposes the port given as HEALTH_PORT and makes the app listen on it; no app port is written in', () => {
    const runtime = DOCKERFILE.slice(DOCKERFILE.indexOf('AS runtime'));
    expect(runtime).toContain('ARG HEALTH_PORT');
    expect(runtime).toContain('ENV HEALTH_PORT=${HEALTH_PORT}');
    expect(runtime).toMatch(/^EXPOSE \$\{HEALTH_PORT\}$/m);
    expect(DOCKERFILE).not.toMatch(/^EXPOSE \d/m);
  });

  it.each(APPS)('documents and accepts %s with its own default port, and refuses another', (app) => {
    const port = defaultHealthPort(app);
    expect(DOCKERFILE).toContain(`--build-arg APP=${app} --build-arg HEALTH_PORT=${port} `);
    expect(runGuard('healthPort', { APP: app, HEALTH_PORT: String(port) })).toBe(0);
    expect(runGuard('healthPort', { APP: app, HEALTH_PORT: String(port + 1) })).not.toBe(0);
    // 910 is a prefix of every port: the check must match the whole number.
    expect(runGuard('healthPort', { APP: app, HEALTH_PORT: '910' })).not.toBe(0);
  });

  it('refuses a build without APP or HEALTH_PORT', () => {
    expect(runGuard('pass --build-arg', { APP: 'seo-worker' })).not.toBe(0);
    expect(runGuard('pass --build-arg', { HEALTH_PORT: '9105' })).not.toBe(0);
    expect(runGuard('pass --build-arg', { APP: 'seo-worker', HEALTH_PORT: '9105' })).toBe(0);
  });

  it('keeps local secrets and rebuilt folders out of the build context, and nothing the build stage copies', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'dist', '.git']));
    const build = DOCKERFILE.slice(0, DOCKERFILE.indexOf('AS runtime'));
    const copied = [...build.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] as string).split(' '));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'apps/jobs-cli/package.json', '.']));
    for (const path of copied) expect(ignored.filter((pattern) => path === pattern || path.startsWith(`${pattern}/`))).toEqual([]);
  });
});
