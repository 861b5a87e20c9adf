// The built `jobs-cli` process as a whole: help and version, usage errors, an unreachable Redis,
// `stats --watch` until Ctrl-C, and the ways to start it (bin/jobs-cli.cjs, npx from the root).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { deletePrefix, testRedisUrl, uniquePrefix, waitFor } from '@jobs/test-support';
import { collect, REPO_ROOT, runBuiltCli, startBuiltCli } from './test-support/run-built-cli';

const url = testRedisUrl();
const prefix = uniquePrefix('cli-main');
const rootPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; workspaces: string[] };
const cliPackage = JSON.parse(readFileSync(join(REPO_ROOT, 'apps', 'jobs-cli', 'package.json'), 'utf8')) as { bin: Record<string, string> };

afterAll(() => deletePrefix(url, prefix));

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('jobs (built)', () => {
  it('--help lists every command with examples and exit codes; --version prints the version; both exit 0', async () => {
    const help = await runBuiltCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['stats', 'list', 'show', 'retry', 'redrive', 'promote', 'remove', 'clean', 'pause', 'resume', 'enqueue', 'drain']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('4 redisUnavailable');
    const sub = await runBuiltCli(['enqueue', '--help']);
    expect(sub).toMatchObject({ code: 0 });
    expect(sub.stdout).toContain('$ jobs-cli enqueue EMAIL_SYNC --data sync.json');
    expect(await runBuiltCli(['--version'])).toMatchObject({ code: 0, stdout: `${rootPackage.version}\n` });
  });

  it('usage errors exit 2 without touching Redis', async () => {
    const port = await closedPort();
    const env = { REDIS_URL: `redis://127.0.0.1:${port}` };
    const unknown = await runBuiltCli(['frobnicate'], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect((await runBuiltCli(['stats', '--bogus'], { env })).code).toBe(2);
    expect((await runBuiltCli(['list', 'email'], { env })).code).toBe(2); // missing <state>
    expect((await runBuiltCli(['list', 'email', 'failed', '--limit', 'lots'], { env })).stderr).toContain('--limit: "lots" is not a whole number');
    expect((await runBuiltCli([], { env })).code).toBe(2);
    const badUrl = await runBuiltCli(['--redis-url', 'http://x', 'stats']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--redis-url: must be a redis:// or rediss:// URL');
  });

  it('an unreachable Redis is exit 4 with one line naming it, without its password, and no hang', async () => {
    const port = await closedPort();
    for (const args of [['stats'], ['show', '1'], ['enqueue', 'SEO_AUDIT', '--data', '-']]) {
      const run = await runBuiltCli(['--redis-url', `redis://ops:canary-redis-pw@127.0.0.1:${port}`, ...args], {
        input: '{"userId":"u","websiteUrl":"https://example.com"}',
        hangAfterMs: 30_000,
      });
      expect(run.code).toBe(4);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(new RegExp(`^jobs-cli: Redis at redis://127\\.0\\.0\\.1:${port}/0 is unavailable.*ECONNREFUSED.*\\n$`));
      expect(run.stderr).not.toContain('canary-redis-pw');
    }
  });

  it('a server that accepts the connection and never answers is exit 4 too, not a hang', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const run = await runBuiltCli(['--redis-url', `redis://127.0.0.1:${port}`, 'stats'], { hangAfterMs: 45_000 });
      expect(run.code).toBe(4);
      expect(run.stderr).toBe(`jobs-cli: Redis at redis://127.0.0.1:${port}/0 is unavailable: no answer within 9000 ms\n`);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('stats --watch prints a table per interval and exits 0 on SIGINT; --watch --json prints one object per line', async () => {
    const child = startBuiltCli(['--prefix', prefix, 'stats', '--watch', '--interval', '200']);
    const done = collect(child);
    let out = '';
    child.stdout!.on('data', (s: string) => (out += s));
    await waitFor('two tables', () => (out.match(/│ total /g) ?? []).length >= 2, { timeoutMs: 30_000 });
    child.kill('SIGINT');
    const run = await done;
    expect(run).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect((run.stdout.match(/│ total /g) ?? []).length).toBeGreaterThanOrEqual(2);
    // Not a terminal: no cursor movement, each reading printed below the last.
    expect(run.stdout).not.toContain('\x1b[');

    const json = startBuiltCli(['--prefix', prefix, 'stats', '--watch', '--json', '--interval', '200']);
    const jsonDone = collect(json);
    let lines = '';
    json.stdout!.on('data', (s: string) => (lines += s));
    await waitFor('two JSON lines', () => lines.split('\n').length > 2, { timeoutMs: 30_000 });
    json.kill('SIGINT');
    const jsonRun = await jsonDone;
    expect(jsonRun.code).toBe(0);
    const readings = jsonRun.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(readings.length).toBeGreaterThanOrEqual(2);
    expect(Object.keys(readings[0])).toEqual(['email', 'voice', 'enrichment', 'workflow', 'seo', 'ads']);
  });

  it('bin/jobs-cli.cjs runs the build with the command exit code', async () => {
    const bin = join(REPO_ROOT, 'apps', 'jobs-cli', 'bin', 'jobs-cli.cjs');
    const ok = await runBuiltCli(['--prefix', prefix, 'stats', '--json'], { command: [bin] });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe(''); // the build exists: no tsx notice
    expect(Object.keys(JSON.parse(ok.stdout))).toHaveLength(6);
    expect((await runBuiltCli(['--prefix', prefix, 'show', 'nothing-here'], { command: [bin] })).code).toBe(3);
  });

  it('bin/jobs-cli.cjs without a build runs the TypeScript source through tsx, saying so on stderr', async () => {
    // A copy of the workspace's layout without dist/: the bin, and links to everything else it needs.
    const root = mkdtempSync(join(tmpdir(), 'jobs-cli-nobuild-'));
    try {
      mkdirSync(join(root, 'apps', 'jobs-cli', 'bin'), { recursive: true });
      copyFileSync(join(REPO_ROOT, 'apps', 'jobs-cli', 'bin', 'jobs-cli.cjs'), join(root, 'apps', 'jobs-cli', 'bin', 'jobs-cli.cjs'));
      symlinkSync(join(REPO_ROOT, 'apps', 'jobs-cli', 'src'), join(root, 'apps', 'jobs-cli', 'src'));
      for (const entry of ['node_modules', 'libs', 'tsconfig.base.json', 'package.json']) symlinkSync(join(REPO_ROOT, entry), join(root, entry));
      const run = await runBuiltCli(['--prefix', prefix, 'show', 'nothing-here'], { command: [process.execPath, join(root, 'apps', 'jobs-cli', 'bin', 'jobs-cli.cjs')] });
      expect(run.code).toBe(3);
      expect(run.stderr).toBe(
        'jobs-cli: no build at dist/apps/jobs-cli (npx nx build jobs-cli); running the TypeScript source through tsx\n' +
          'jobs-cli: no job "nothing-here" in any queue (email, voice, enrichment, workflow, seo, ads)\n',
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('npx <bin> --help works from the repository root', async () => {
    // The CLI is an npm workspace (root package.json "workspaces") so that npm links its bin into
    // node_modules/.bin: npx does not run the root package's own bin.
    expect(rootPackage.workspaces).toContain('apps/jobs-cli');
    const [name] = Object.keys(cliPackage.bin);
    // npx runs the bin through `sh -c`, where a shell builtin of the same name wins over it.
    expect({ bin: name, shellBuiltins: ['jobs', 'test', 'kill', 'command', 'type', 'wait'].includes(name!) }).toEqual({ bin: name, shellBuiltins: false });
    const run = await runBuiltCli(['--help'], { command: ['npx', '--offline', name!], cwd: REPO_ROOT, hangAfterMs: 60_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: jobs-cli');
  });
});
