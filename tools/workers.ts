// `npm run workers [-- --no-build]`: builds and starts every worker app under apps/ for local
// development, each as its own process (`node dist/apps/<app>/main.js`), with Redis from
// REDIS_URL (default 127.0.0.1:6379) and `.env` of the current directory loaded first (variables
// already set win; under npm that is the repository root). Once each worker has started (its
// "worker started" line, or still up after 15 s) or given up, prints one summary line — which
// run, which did not and why — and keeps the running ones going. Ctrl-C is passed to each worker
// once, so each shuts down gracefully (running jobs finish or are handed back); a second Ctrl-C
// kills them. Exits 0 when every worker that ran stopped cleanly, 1 when none could start or
// one failed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadDotEnv } from '@jobs/worker-kit';

const root = resolve(__dirname, '..');
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Where one worker stands: `starting` until it logs "worker started" or exits. */
type WorkerState = { kind: 'starting' } | { kind: 'running' } | { kind: 'not started'; reason: string } | { kind: 'exited'; code: number | null };

const { values } = parseArgs({ options: { 'no-build': { type: 'boolean', default: false } }, strict: true });
const dotEnv = loadDotEnv();
if (dotEnv) say(`loaded ${dotEnv}`);

// Worker apps only: the dashboard and the jobs CLI are apps too, but not workers of a queue.
const apps = readdirSync(join(root, 'apps'))
  .filter((name) => {
    if (!name.endsWith('-worker')) return false;
    const project = join(root, 'apps', name, 'project.json');
    return existsSync(project) && JSON.parse(readFileSync(project, 'utf8')).targets?.build;
  })
  .sort();
if (apps.length === 0) {
  process.stderr.write('No worker apps with a build target under apps/.\n');
  process.exit(1);
}

const states = new Map<string, WorkerState>();
for (const app of apps) {
  // One build per app, so one app that does not build leaves the others running.
  if (!values['no-build']) {
    say(`building ${app} …`);
    const build = spawnSync(join(root, 'node_modules/.bin/nx'), ['build', app, '--outputStyle=stream'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) {
      states.set(app, { kind: 'not started', reason: 'the build failed (see above)' });
      continue;
    }
  }
  if (!existsSync(join(root, 'dist/apps', app, 'main.js'))) {
    states.set(app, { kind: 'not started', reason: `dist/apps/${app}/main.js is missing (run \`npx nx build ${app}\`)` });
    continue;
  }
  states.set(app, { kind: 'starting' });
}

const children = new Map<string, ChildProcess>();
let summarised = false;
let stopping = false;

/** Prints the summary once no worker is still starting; with none running, stops. */
function summariseWhenSettled(): void {
  if (summarised || [...states.values()].some((s) => s.kind === 'starting')) return;
  summarised = true;
  const running = apps.filter((app) => states.get(app)?.kind === 'running');
  const notStarted = apps.flatMap((app) => {
    const state = states.get(app);
    if (state?.kind === 'not started') return [`${app} did not start: ${state.reason}`];
    if (state?.kind === 'exited') return [`${app} did not start: exited ${state.code}`];
    return [];
  });
  say([`${running.length} of ${apps.length} workers running${running.length > 0 ? ` (${running.join(', ')})` : ''}`, ...notStarted].join('; '));
  if (notStarted.length > 0) say('Variables go in the environment or in .env of this directory; .env.example lists them all.');
  if (running.length === 0) process.exit(1);
  say('Ctrl-C stops them.');
}

for (const app of apps) {
  if (states.get(app)?.kind !== 'starting') continue;
  // Own process group: the terminal's Ctrl-C reaches only this script, which forwards it once
  // (a worker takes a second signal as "force").
  const child = spawn(process.execPath, [join(root, 'dist/apps', app, 'main.js')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  children.set(app, child);
  let lastErrorLine = '';
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    say(`[${app}] ${line}`);
    if (states.get(app)?.kind === 'starting' && line.includes('"worker started"')) {
      states.set(app, { kind: 'running' });
      summariseWhenSettled();
    }
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    say(`[${app}] ${line}`);
    if (line.trim() !== '') lastErrorLine = line.trim();
  });
  child.on('exit', (code, signal) => {
    say(`[${app}] exited ${signal ?? code}`);
    children.delete(app);
    const state = states.get(app);
    if (state?.kind === 'starting' && !stopping) {
      // Exit 2 is a configuration error whose one line already starts with the app's name.
      const reason = code === 2 && lastErrorLine.startsWith(`${app}: `) ? lastErrorLine.slice(app.length + 2) : `exited ${signal ?? code}${lastErrorLine ? `: ${lastErrorLine}` : ''}`;
      states.set(app, { kind: 'not started', reason });
      summariseWhenSettled();
    } else {
      states.set(app, { kind: 'exited', code });
      if (!stopping) say(`${app} stopped (${signal ?? code}); ${children.size} still running`);
    }
    if (children.size === 0 && summarised) {
      const clean = [...states.values()].every((s) => s.kind !== 'exited' || s.code === 0);
      process.exit(stopping && clean ? 0 : 1);
    }
  });
}
summariseWhenSettled();
// A worker logs "worker started" at level info; under LOG_LEVEL=warn or quieter it never does,
// so one still up after this long counts as running.
const START_GRACE_MS = 15_000;
setTimeout(() => {
  for (const app of apps) if (states.get(app)?.kind === 'starting') states.set(app, { kind: 'running' });
  summariseWhenSettled();
}, START_GRACE_MS).unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    const forward = stopping ? 'SIGKILL' : 'SIGTERM';
    say(stopping ? 'second signal: killing the workers' : `stopping ${children.size} worker(s) …`);
    stopping = true;
    summarised = true;
    for (const child of children.values()) child.kill(forward);
    if (children.size === 0) process.exit(0);
  });
}
