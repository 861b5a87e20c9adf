import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '../../..');

/** Runs `tools/bench/scale.ts` with `args` as `npm run bench:scale -- args` does; resolves with its exit code and output. */
function benchScale(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(ROOT, 'tools/bench/scale.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.once('exit', (code) => done({ code, stdout, stderr }));
  });
}

// A newer Node (the images run 24) may print a warning about a dependency or a flag; that says
// nothing about the bench, so only those lines are let through: `(node:PID) …Warning: …` and
// the hint Node prints after the first one. Anything else on stderr still fails the run.
const NODE_WARNING = /^\(node:\d+\) (\[[A-Z0-9]+\] )?\w*Warning: /;
const NODE_WARNING_HINT = /^\(Use `node --trace-(warnings|deprecation) \.\.\.` to show where the warning was created\)$/;

/** The lines of `stderr` that are not Node's own warnings (blank lines dropped). */
function unexpectedStderr(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !NODE_WARNING.test(line) && !NODE_WARNING_HINT.test(line));
}

describe('unexpectedStderr', () => {
  it('lets Node warnings and their --trace-warnings hint through and keeps every other line', () => {
    const warnings = [
      '(node:4242) ExperimentalWarning: Type Stripping is an experimental feature and might change at any time',
      '(Use `node --trace-warnings ...` to show where the warning was created)',
      '(node:4242) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.',
      '(Use `node --trace-deprecation ...` to show where the warning was created)',
      '',
    ].join('\n');
    expect(unexpectedStderr(warnings)).toEqual([]);
    expect(unexpectedStderr('')).toEqual([]);
    expect(unexpectedStderr(`${warnings}\nError: connect ECONNREFUSED 127.0.0.1:6379\n(node:1) something else\n`)).toEqual([
      'Error: connect ECONNREFUSED 127.0.0.1:6379',
      '(node:1) something else',
    ]);
  });
});

// The real bench, small (about 25 s): its own redis-server per run, real kit and raw worker processes that
// must each exit 0 on SIGTERM and report how many jobs they completed (the bench refuses a run
// whose counts do not add up to the jobs enqueued, or in which a job failed).
describe('npm run bench:scale', () => {
  it('measures kit and raw worker processes at P=1 and P=2 and prints the curve', async () => {
    const { code, stdout, stderr } = await benchScale(['--jobs', '400', '--processes', '1,2', '--concurrency', '10', '--repeats', '1']);
    expect({ code, stderr: unexpectedStderr(stderr) }).toEqual({ code: 0, stderr: [] });
    expect(stdout).toMatch(/2 CPU core\(s\)|\d+ CPU core\(s\)/);
    // One line per run: 2 process counts x 2 sides, every job completed by the processes of the run.
    const runLines = stdout.split('\n').filter((l) => /^ {2}run 1\/1 P=\d (kit|raw):/.test(l));
    expect(runLines).toHaveLength(4);
    for (const line of runLines) {
      const perProcess = /jobs per process ([\d/]+)/.exec(line)?.[1].split('/').map(Number) ?? [];
      expect(perProcess).toHaveLength(Number(/P=(\d)/.exec(line)?.[1]));
      expect(perProcess.reduce((a, b) => a + b, 0)).toBe(400);
      expect(Number(/: (\d+) jobs\/s/.exec(line)?.[1])).toBeGreaterThan(0);
    }
    const rows = stdout.split('\n').filter((l) => /^\| [12] /.test(l));
    expect(rows.map((r) => r.split('|')[1].trim())).toEqual(['1', '2']);
    expect(rows[0]).toMatch(/\| 1\.00 \/ 1\.00 +\|/);
    // Memory read from Redis while 400 jobs waited, and after they completed (SEO_AUDIT keeps 100).
    expect(Number(/waiting job: (\d+) B per job/.exec(stdout)?.[1])).toBeGreaterThan(100);
    expect(stdout).toMatch(/; 100 kept on the queue after the run/);
    // A job failed for good by a kit worker after the contract's 3 attempts, measured in Redis.
    expect(stdout).toMatch(/failed job kept \(7 days\): [1-9]\d+ B for its hash \(3 attempts/);
    expect(Number(/enqueue .*: Redis [\d.]+ µs CPU and ([\d.]+) commands per job/.exec(stdout)?.[1])).toBeGreaterThan(0);
  }, 300_000);

  it('refuses --cluster with exit 2 and "not yet", before starting anything', async () => {
    const { code, stdout, stderr } = await benchScale(['--cluster']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--cluster: not yet/);
  }, 60_000);
});
