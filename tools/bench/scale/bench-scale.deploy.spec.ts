import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(__dirname, '../../..');

/** Every bench run of this spec carries this in its environment, and so do the worker processes it starts. */
const MARKER = `BENCH_SCALE_SPEC_RUN=${randomBytes(6).toString('hex')}`;

/** Starts `tools/bench/scale.ts` with `args` as `npm run bench:scale -- args` does; `onStdout` sees the output so far. */
function startBenchScale(args: readonly string[], onStdout: (stdout: string, child: ChildProcess) => void = () => undefined) {
  const [markerName, markerValue] = MARKER.split('=');
  const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, join(ROOT, 'tools/bench/scale.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'), [markerName]: markerValue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += String(d);
    onStdout(stdout, child);
  });
  child.stderr.on('data', (d) => (stderr += String(d)));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => child.once('exit', (code) => done({ code, stdout, stderr })));
}

/** Runs `tools/bench/scale.ts` with `args`; resolves with its exit code and output. */
function benchScale(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startBenchScale(args);
}

/** True when something accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Processes still running with this spec's {@link MARKER} in their environment: worker processes
 * the bench left behind; [] without /proc. (redis-server overwrites its environment with its
 * process title, so servers are checked by their ports instead.)
 */
function markedProcesses(): string[] {
  if (!existsSync('/proc/self/environ')) return [];
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(MARKER);
      } catch {
        return false;
      }
    })
    .map((pid) => {
      try {
        return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')}`;
      } catch {
        return pid;
      }
    });
}

/** The ports of the cluster's masters, from the bench's `cluster: 3 masters …` line. */
function clusterPorts(stdout: string): number[] {
  const line = /^cluster: \d+ masters (.*) \(REDIS_CLUSTER_NODES\)/m.exec(stdout)?.[1] ?? '';
  return [...line.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
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

  it('--cluster: measures the curve on a 3-master cluster, then the spread case on one Redis and on the cluster, and stops the cluster', async () => {
    const { code, stdout, stderr } = await benchScale(['--cluster', '--jobs', '200', '--processes', '1,2', '--concurrency', '10', '--repeats', '1']);
    expect({ code, stderr: unexpectedStderr(stderr) }).toEqual({ code: 0, stderr: [] });
    // Three masters, and the three slot groups of the spread case each on its own.
    const ports = clusterPorts(stdout);
    expect(ports).toHaveLength(3);
    const groups = /; \{seo-audit\} \(seo\) on (\S+), \{ads\} \(ads\) on (\S+), \{workflow\} \(email\) on (\S+)$/m.exec(stdout);
    expect(new Set(groups?.slice(1)).size).toBe(3);
    // The curve: one line per run, every job completed by the run's processes, the other masters' CPU beside.
    const runLines = stdout.split('\n').filter((l) => /^ {2}run 1\/1 P=\d (kit|raw):/.test(l));
    expect(runLines).toHaveLength(4);
    for (const line of runLines) {
      expect(line).toMatch(/other masters [\d.]+ µs CPU\/job/);
      const perProcess = /jobs per process ([\d/]+)/.exec(line)?.[1].split('/').map(Number) ?? [];
      expect(perProcess).toHaveLength(Number(/P=(\d)/.exec(line)?.[1]));
      expect(perProcess.reduce((a, b) => a + b, 0)).toBe(200);
    }
    expect(stdout.split('\n').filter((l) => /^\| [12] /.test(l)).map((r) => r.split('|')[1].trim())).toEqual(['1', '2']);
    expect(Number(/waiting job: (\d+) B per job/.exec(stdout)?.[1])).toBeGreaterThan(100);
    // The spread case: both layouts, both sides, each queue's 200 jobs done by its own worker.
    const spreadLines = stdout.split('\n').filter((l) => /^ {2}spread run 1\/1 /.test(l));
    expect(spreadLines.map((l) => /spread run 1\/1 (one Redis|cluster) (kit|raw):/.exec(l)?.slice(1).join(' ')).sort()).toEqual([
      'cluster kit',
      'cluster raw',
      'one Redis kit',
      'one Redis raw',
    ]);
    for (const line of spreadLines) expect(line).toMatch(/jobs per queue 200\/200\/200,/);
    for (const line of spreadLines.filter((l) => l.includes(' cluster '))) expect(line).toMatch(/% of a core: seo \d+ %, ads \d+ %, email \d+ %\)/);
    expect(stdout).toMatch(/^\| one Redis +\| \d+ \(\d+-\d+\) +\| \d+ .*\| seo\+ads\+email \d+ \/ \d+ +\|/m);
    expect(stdout).toMatch(/^\| cluster, 3 masters +\| .*\| seo \d+ \/ \d+, ads \d+ \/ \d+, email \d+ \/ \d+ +\|/m);
    expect(stdout).toMatch(/^cluster vs one Redis \(medians\): jobs\/s kit ×[\d.]+, raw ×[\d.]+;/m);
    // Stopped at the end: nothing answers on the masters' ports, no worker process is left.
    expect(stdout).toMatch(/^stopped the throwaway cluster \(127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+, 127\.0\.0\.1:\d+\)$/m);
    expect(await Promise.all(ports.map(listening))).toEqual([false, false, false]);
    expect(markedProcesses()).toEqual([]);
  }, 300_000);

  it('--cluster: a SIGINT mid-run stops the worker processes and the cluster, and exits 130', async () => {
    let interrupted = false;
    const { code, stdout, stderr } = await startBenchScale(['--cluster', '--jobs', '2000', '--processes', '1,2', '--concurrency', '5', '--repeats', '3'], (out, child) => {
      // After the first run: the second run's workers are starting or working.
      if (!interrupted && /^ {2}run 1\/3 /m.test(out)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    expect(interrupted).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(/bench:scale: SIGINT: stopping the worker processes and Redis servers it started/);
    const ports = clusterPorts(stdout);
    expect(ports).toHaveLength(3);
    expect(await Promise.all(ports.map(listening))).toEqual([false, false, false]);
    expect(markedProcesses()).toEqual([]);
  }, 300_000);

  it('refuses a value on --cluster with exit 2, before starting anything', async () => {
    const { code, stdout, stderr } = await benchScale(['--cluster=yes']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/--cluster takes no value/);
  }, 60_000);
});
