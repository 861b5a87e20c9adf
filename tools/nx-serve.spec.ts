import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

// `nx serve <app>` must report a worker that exits with an error as a failed run: a
// continuous serve target used to print "Successfully ran target serve" and exit 0.
describe('nx serve', () => {
  it('reports a worker that exits on a bad configuration as a failure', async () => {
    const child = spawn(join(ROOT, 'node_modules/.bin/nx'), ['serve', 'seo-worker', '--outputStyle=stream'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? ROOT, NX_DAEMON: 'false', WORKER_CONCURRENCY: 'abc' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += String(d)));
    child.stderr?.on('data', (d) => (output += String(d)));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(output).toContain('seo-worker: invalid WORKER_CONCURRENCY: must be a number');
    expect(output).not.toContain('Successfully ran target serve');
    expect(code).not.toBe(0);
  }, 300_000);

  it('reports a dashboard refused for its configuration as a failure, naming the variables', async () => {
    const child = spawn(join(ROOT, 'node_modules/.bin/nx'), ['serve', 'dashboard', '--outputStyle=stream'], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? ROOT, NX_DAEMON: 'false', DASHBOARD_SESSION_SECRET: 'too-short' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (d) => (output += String(d)));
    child.stderr?.on('data', (d) => (output += String(d)));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(output).toMatch(/dashboard: missing DASHBOARD_ADMIN_PASSWORD_HASH \(required unless .*; invalid DASHBOARD_SESSION_SECRET: must be at least 32 characters/);
    expect(output).not.toContain('too-short');
    expect(output).not.toContain('Successfully ran target serve');
    expect(code).not.toBe(0);
  }, 300_000);
});
