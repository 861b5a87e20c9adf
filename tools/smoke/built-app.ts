import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { builtStartArgs } from '../bench/worker-memory';

/** The repository root. */
export const ROOT = resolve(__dirname, '../..');

/** Throws `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** A built app installed on its own, outside the workspace. */
export interface InstalledApp {
  readonly dir: string;
  /**
   * Starts the app as its `npm start` does (`node <flags> main.js`) with only `env` (and PATH);
   * resolves once it logs `startedMessage` (default "worker started"; the dashboard logs "dashboard started").
   */
  start(env: Record<string, string>, startedMessage?: string): Promise<{ child: ChildProcess; exited: Promise<number | null>; stderr: () => string }>;
  remove(): void;
}

/**
 * Copies `dist/apps/<app>` to an empty folder outside the repo (so nothing resolves from the
 * workspace's node_modules) and installs its generated package.json with `npm install
 * --omit=dev`.
 * @throws Error when the build is missing, the install fails, or dev dependencies got in.
 */
export function installBuiltApp(app: string): InstalledApp {
  const dist = join(ROOT, 'dist/apps', app);
  check(existsSync(join(dist, 'main.js')), `${dist}/main.js is missing: run \`npx nx build ${app}\` first`);
  const dir = mkdtempSync(join(tmpdir(), `${app}-built-`));
  cpSync(dist, dir, { recursive: true });
  process.stdout.write(`installing ${app}'s production dependencies in ${dir} …\n`);
  const install = spawnSync('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
  check(install.status === 0, `npm install --omit=dev failed:\n${install.stderr}`);
  check(!existsSync(join(dir, 'node_modules/typescript')), 'dev dependencies were installed');
  return {
    dir,
    async start(env, startedMessage = 'worker started') {
      // As `npm start` runs it (the image's CMD too), without npm in between.
      const child = spawn(process.execPath, builtStartArgs(dir), { cwd: dir, env: { PATH: process.env['PATH'], ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr?.on('data', (d) => (stderr += String(d)));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      await new Promise<void>((resolveStarted, reject) => {
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          if (line.includes(`"${startedMessage}"`)) resolveStarted();
        });
        void exited.then((code) => reject(new Error(`the built ${app} exited (${code}) before starting:\n${stderr}`)));
      });
      return { child, exited, stderr: () => stderr };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
