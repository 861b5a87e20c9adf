// Every example of every help text (`jobs-cli --help`, `jobs-cli <command> --help`) RUN through the
// REAL BUILT command against the test Redis under a unique prefix, expecting the exit code it is
// documented to have (exit-codes.ts). An example without an expectation here fails the spec, so
// help text and this list stay in step.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { collect, runBuiltCli, startBuiltCli } from './test-support/run-built-cli';

const url = testRedisUrl();
const prefix = uniquePrefix('cli-help');

/** Expected exit code of each example, by its command line as the help prints it. `watch`: runs until Ctrl-C. */
const EXPECTED: Record<string, number | 'watch'> = {
  'jobs-cli stats': 0,
  'jobs-cli stats --watch': 'watch',
  'jobs-cli list email failed --limit 50': 0,
  'jobs-cli show 1234 --json': 0,
  'jobs-cli enqueue SEO_AUDIT --data audit.json': 0,
  'jobs-cli drain seo --yes': 0,
  // Another Redis (10.0.0.5 is not reachable from the test machine): exit 4 once the connection attempts fail.
  'jobs-cli --redis-url redis://10.0.0.5:6379 --prefix staging stats': 4,
  'jobs-cli stats --json': 0,
  'jobs-cli stats --watch --interval 5000': 'watch',
  'jobs-cli list email failed': 0,
  'jobs-cli list seo delayed --limit 50 --offset 50 --json': 0,
  'jobs-cli show 42 --queue email': 0,
  'jobs-cli show sync-acc_123 --json': 0,
  'jobs-cli promote email 17 18': 0,
  'jobs-cli promote seo --all --yes': 0,
  'jobs-cli remove email 17 18': 0,
  'jobs-cli clean email completed --older-than 1d --dry-run': 0,
  'jobs-cli clean seo failed --older-than 2026-11-01T00:00:00Z --yes': 0,
  'jobs-cli pause email': 0,
  'jobs-cli pause --all': 0,
  'jobs-cli resume email': 0,
  'jobs-cli resume --all': 0,
  'jobs-cli enqueue EMAIL_SYNC --data sync.json': 0,
  'echo \'{"userId":"u_1","websiteUrl":"https://example.com","depth":1}\' | jobs-cli enqueue SEO_AUDIT --data - --delay 60000': 0,
  'jobs-cli drain seo --delayed --yes': 0,
  // No terminal to confirm on and no --yes: aborted, nothing removed.
  'jobs-cli drain email': 5,
};

/** One `$ …` line of a help text: the command line, without the description the main help adds after it. */
function examplesOf(help: string): string[] {
  return [...help.matchAll(/^ {2}\$ (.+)$/gm)].map((m) => (m[1] as string).split(/ {2,}/)[0]!.trim());
}

/** The arguments and stdin of an example (`echo '<json>' | jobs-cli …`; no other quoting is used). */
function parse(example: string): { args: string[]; input?: string } {
  const piped = /^echo '(.*)' \| (.*)$/.exec(example);
  const line = piped ? (piped[2] as string) : example;
  const [bin, ...args] = line.split(/\s+/);
  expect(bin).toBe('jobs-cli');
  return piped ? { args, input: `${piped[1]}\n` } : { args };
}

let cwd: string;
let connection: Redis;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'jobs-cli-help-'));
  writeFileSync(join(cwd, 'sync.json'), JSON.stringify({ userId: 'u_1', accountId: 'acc_123', emailProvider: 'gmail' }));
  writeFileSync(join(cwd, 'audit.json'), JSON.stringify({ userId: 'u_1', websiteUrl: 'https://example.com' }));
  connection = new Redis(url, { maxRetriesPerRequest: null });
  const email = new Queue('email', { connection, prefix });
  // The job ids the examples name. Numeric ids are BullMQ's own (custom ids cannot be integers):
  // its counter `<prefix>:email:id` is set so the next add gets the id wanted.
  const data = { userId: 'u_1', accountId: 'acc_123', emailProvider: 'gmail' };
  const addWithId = async (id: number, delay?: number) => {
    await connection.set(`${prefix}:email:id`, id - 1);
    const job = await email.add('EMAIL_SYNC', data, { delay });
    expect(job.id).toBe(String(id));
  };
  await addWithId(17, 3_600_000);
  await addWithId(18, 3_600_000);
  await addWithId(42);
  await addWithId(1234);
  await email.add('EMAIL_SYNC', data, { jobId: 'sync-acc_123' });
  await email.close();
});

afterAll(async () => {
  rmSync(cwd, { recursive: true, force: true });
  await deletePrefix(url, prefix);
  connection.disconnect();
});

it('runs every help example with its documented exit code', async () => {
  const main = await runBuiltCli(['--help']);
  expect(main.code).toBe(0);
  const commands = [...main.stdout.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
  expect(commands).toEqual(expect.arrayContaining(['stats', 'list', 'show', 'retry', 'redrive', 'promote', 'remove', 'clean', 'pause', 'resume', 'enqueue', 'drain']));
  const examples = examplesOf(main.stdout);
  for (const command of commands) {
    const help = await runBuiltCli([command, '--help']);
    expect([command, help.code]).toEqual([command, 0]);
    examples.push(...examplesOf(help.stdout));
  }
  expect(examples.length).toBeGreaterThan(20);
  const results: [string, number | 'watch' | undefined, number | 'watch' | null][] = [];
  for (const example of examples) {
    const expected = EXPECTED[example];
    const { args, input } = parse(example);
    const argv = ['--prefix', prefix, ...args];
    if (expected === 'watch') {
      const child = startBuiltCli(argv, { cwd });
      const done = collect(child);
      await new Promise((resolve) => child.stdout.once('data', resolve));
      child.kill('SIGINT');
      // Ctrl-C ends the watch: 0.
      const { code } = await done;
      results.push([example, expected, code === 0 ? 'watch' : code]);
      continue;
    }
    const run = await runBuiltCli(argv, { cwd, input });
    results.push([example, expected, run.code]);
  }
  // One assertion over all: a failure names every example whose code differs.
  expect(results.filter(([, expected, code]) => expected !== code)).toEqual([]);
}, 180_000);
