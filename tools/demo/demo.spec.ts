import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';

// The README's main command, run as a user runs it: no REDIS_URL, so it must start (and stop)
// its own redis-server, start the worker, audit the sample site and print the summary.
const root = resolve(__dirname, '../..');

function runDemo(args: string[], { interruptAfter }: { interruptAfter?: RegExp } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, TSX_TSCONFIG_PATH: join(root, 'tsconfig.base.json') };
  delete env['REDIS_URL'];
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tools/demo/main.ts'), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let interrupted = false;
  const onData = (d: Buffer) => {
    out += String(d);
    if (interruptAfter && !interrupted && interruptAfter.test(out)) {
      interrupted = true;
      child.kill('SIGINT');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise<{ code: number | null; out: string }>((res) => child.on('exit', (code) => res({ code, out })));
}

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

describe('npm run demo', () => {
  it('audits the sample site, syncs two mailboxes and writes a draft, places calls, enriches leads, runs a workflow over those three, analyses two ad accounts — on a throwaway Redis, with progress, and cleans up', async () => {
    const { code, out } = await runDemo([]);
    expect(code).toBe(0);
    expect(out).toMatch(/started a throwaway redis-server on (redis:\/\/127\.0\.0\.1:\d+)/);
    expect(out).toMatch(/crawling depth 1: /);
    expect(out).toMatch(/score +\d+(\.\d)? \/ 100/);
    expect(out).toMatch(/pages crawled +8 \(6 answered 2xx\)/);
    expect(out).toMatch(/broken-link/);
    expect(out).toMatch(/No competitor URLs were given/);
    expect(out).toContain('seo-worker stopped (exit code 0)');
    // The email part, against the local Gmail, Graph and chat completions servers.
    expect(out).toMatch(/gmail rep@acme\.example: page 3 handed over/);
    expect(out).toMatch(/gmail +synced: 54 new, 0 changed, 0 deleted in 6 pages/);
    expect(out).toMatch(/outlook synced: 54 new, 0 changed, 0 deleted in 6 pages/);
    expect(out).toMatch(/incremental sync \(history since the saved cursor\): 1 new, 0 changed, 0 deleted/);
    expect(out).toMatch(/draft r\S+ saved in thread (\S+) of rep@acme\.example \(not sent\)/);
    expect(out).toContain('Subject: Re: Test reply email');
    expect(out).toContain('written in a friendly tone');
    expect(out).toContain('email-worker stopped (exit code 0)');
    // The voice part, against the local Vapi server.
    expect(out).toMatch(/demo-call-1 \(answered\): call is in-progress/);
    expect(out).toMatch(/demo-call-1 \+1 \(415\) 555-0123: ended, customer-ended-call, \d/);
    expect(out).toContain('demo-call-2 +44 20 7183 8750: ended, customer-busy');
    expect(out).toMatch(/demo-call-3 \+1 555 12: failed at once: phoneNumber: /);
    expect(out).toContain('calls placed on Vapi: 2 (one per valid job)');
    expect(out).toContain('voice-worker stopped (exit code 0)');
    // The enrichment part, against the local Apify server.
    expect(out).toContain('batch 12/12 done');
    expect(out).toMatch(/enriched 53, not found 5, failed 1, rejected 1 \(of 60 leads\)/);
    // 3 requests a run. The worker spaces its calls by its own clock (rate-limiter.spec); the
    // Apify server here runs in the demo's process and stamps arrivals when that process gets the
    // CPU, so on a busy machine a stall can bunch a few and draw a 429, which the worker retries.
    const [, requests, refused] = /Apify saw (\d+) requests for 12 actor runs, [\d.]+\/s, (\d+) answered 429/.exec(out) ?? [];
    expect(Number(requests)).toBeGreaterThanOrEqual(36);
    expect(Number(requests) - Number(refused)).toBeGreaterThanOrEqual(36);
    expect(out).toContain('enrichment-worker stopped (exit code 0)');
    // The workflow part, over the same three workers: lead A replied, lead B was called.
    expect(out).toMatch(/saved definition "new-inbound-lead" version 1/);
    expect(out).toContain('the same trigger for lead A again: the same job, no second run');
    expect(out).toMatch(/lead A {2}draft_reply completed \(draft r\S+ saved, not sent\)/);
    expect(out).toMatch(/lead A {2}the app saw a reply: signalWorkflowRun\(email_replied\) delivered/);
    expect(out).toMatch(/lead A {2}wait_reply completed \(event received -> replied\)/);
    expect(out).toMatch(/lead B {2}wait_reply completed \(timed out -> call\)/);
    expect(out).toMatch(/lead B {2}call waiting \(job wf-run_[0-9a-f]{32}-call-1 on voice; no worker slot held\)/);
    expect(out).toMatch(/lead A: completed in 5 steps \(enrich -> known_company -> draft_reply -> wait_reply -> replied\)/);
    expect(out).toMatch(/lead B: completed in 6 steps \(enrich -> known_company -> draft_reply -> wait_reply -> call -> called\), output \{"outcome":"called","call":"ended, customer-ended-call"\}/);
    expect(out).toContain('side effects: Apify runs 1 / 1, Gmail drafts 1 / 1, Vapi calls 0 / 1 (lead A / lead B)');
    expect(out).toContain('workflow-worker stopped (exit code 0)');
    // The ads part, against the local Google Ads and Meta Graph servers: the injected faults found.
    expect(out).toMatch(/Google Ads: Acme Shoes \(Google\) \(acc_456\), EUR, days of Europe\/Berlin/);
    expect(out).toMatch(/Meta: .*, USD, days of America\/Los_Angeles/);
    for (const rule of ['cpa-spike', 'stopped-spending', 'budget-limited']) expect(out.split(`[${rule}]`)).toHaveLength(3);
    expect(out).toMatch(/report: \S+tmp\/demo-ads-report-google\.html \(\d+ KiB/);
    expect(out).toMatch(/report: \S+tmp\/demo-ads-report-meta\.html \(\d+ KiB/);
    expect(out).toContain('ads-worker stopped (exit code 0)');
    const redisUrl = /started a throwaway redis-server on (redis:\/\/\S+)/.exec(out)![1];
    expect(await redisAnswers(redisUrl)).toBe(false);
    // Six parts, six workers started through tsx: a ceiling against a hang, not a speed check.
  }, 240_000);

  it('stops cleanly on Ctrl-C during the email part (run alone)', async () => {
    const { code, out } = await runDemo(['--only', 'email'], { interruptAfter: /enqueued EMAIL_SYNC/ });
    expect({ code, out }).toMatchObject({ code: 130 });
    expect(out).not.toContain('SEO audit');
    expect(out).toContain('interrupted');
    expect(out).toContain('email-worker stopped (exit code 0)');
    const redisUrl = /started a throwaway redis-server on (redis:\/\/\S+)/.exec(out)![1];
    expect(await redisAnswers(redisUrl)).toBe(false);
  }, 60_000);

  it('stops cleanly on Ctrl-C while a workflow run waits for its event (run alone)', async () => {
    const { code, out } = await runDemo(['--only', 'workflow'], { interruptAfter: /wait_reply waiting/ });
    expect({ code, out }).toMatchObject({ code: 130 });
    expect(out).not.toContain('== Email');
    expect(out).toContain('interrupted');
    for (const name of ['workflow-worker', 'voice-worker', 'email-worker', 'enrichment-worker']) expect(out).toContain(`${name} stopped (exit code 0)`);
    const redisUrl = /started a throwaway redis-server on (redis:\/\/\S+)/.exec(out)![1];
    expect(await redisAnswers(redisUrl)).toBe(false);
  }, 120_000);

  it('stops cleanly on Ctrl-C mid-audit', async () => {
    const { code, out } = await runDemo([join(root, '../shared/fixtures/sites/httpd-manual'), '--depth', '10'], {
      interruptAfter: /enqueued SEO_AUDIT/,
    });
    expect(code).toBe(130);
    expect(out).toContain('interrupted');
    expect(out).toContain('seo-worker stopped (exit code 0)');
    const redisUrl = /started a throwaway redis-server on (redis:\/\/\S+)/.exec(out)![1];
    expect(await redisAnswers(redisUrl)).toBe(false);
  }, 60_000);

  it('refuses a target that is neither a URL nor a folder, and bad options, naming them', async () => {
    const missing = await runDemo(['./no-such-folder']);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('"./no-such-folder" is neither an http(s) URL nor a folder');
    const depth = await runDemo(['--depth', 'deep']);
    expect(depth.code).toBe(1);
    expect(depth.out).toContain('--depth must be a whole number from 0 to 20, not "deep"');
    const only = await runDemo(['--only', 'billing']);
    expect(only.code).toBe(1);
    expect(only.out).toContain('--only must be one of seo, email, voice, enrichment, workflow, ads, not "billing"');
    // Three starts of the demo through tsx: a ceiling against a hang, not a speed check.
  }, 180_000);
});
