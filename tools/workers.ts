// `npm run workers`: builds and starts every worker app under apps/ for local development,
// each as its own process (`node dist/apps/<app>/main.js`), with Redis from REDIS_URL
// (default 127.0.0.1:6379). Ctrl-C is passed to each worker once, so each shuts down
// gracefully (running jobs finish or are handed back); this waits for all of them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const root = resolve(__dirname, '..');
const apps = readdirSync(join(root, 'apps')).filter((name) => {
  const project = join(root, 'apps', name, 'project.json');
  return existsSync(project) && JSON.parse(readFileSync(project, 'utf8')).targets?.build;
});
if (apps.length === 0) {
  process.stderr.write('No worker apps with a build target under apps/.\n');
  process.exit(1);
}
process.stdout.write(`building ${apps.length} worker app(s): ${apps.join(', ')}\n`);
const build = spawnSync(join(root, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', apps.join(',')], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const children = new Map<string, ChildProcess>();
for (const app of apps) {
  // Own process group: the terminal's Ctrl-C reaches only this script, which forwards it once
  // (a worker takes a second signal as "force").
  const child = spawn(process.execPath, [join(root, 'dist/apps', app, 'main.js')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.set(app, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`[${app}] ${line}\n`));
  }
  child.on('exit', (code, signal) => {
    process.stdout.write(`[${app}] exited ${signal ?? code}\n`);
    children.delete(app);
    if (children.size === 0) process.exit(0);
  });
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    const forward = stopping ? 'SIGKILL' : 'SIGTERM';
    if (stopping) process.stdout.write('second signal: killing the workers\n');
    stopping = true;
    for (const child of children.values()) child.kill(forward);
  });
}
