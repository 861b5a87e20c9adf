// `npm run workers`: starts every worker app under apps/ for local development, each as its
// own process through `nx serve <app>`, with Redis from REDIS_URL (default 127.0.0.1:6379).
// Ctrl-C stops them all: Nx passes the signal on and each worker shuts down gracefully.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const apps = readdirSync(join(root, 'apps')).filter((name) => {
  const project = join(root, 'apps', name, 'project.json');
  return existsSync(project) && JSON.parse(readFileSync(project, 'utf8')).targets?.serve;
});
if (apps.length === 0) {
  process.stderr.write('No worker apps with a serve target under apps/.\n');
  process.exit(1);
}
process.stdout.write(`starting ${apps.length} worker app(s): ${apps.join(', ')}\n`);
const child = spawn(
  join(root, 'node_modules/.bin/nx'),
  ['run-many', '-t', 'serve', '-p', apps.join(','), `--parallel=${apps.length}`, '--output-style=stream'],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
