// `npm run bench:fakes`
//
// How fast the local provider servers and the clients driving them are: the timing checks the
// tests no longer make, because on a busy machine a test that asserts wall-clock time fails for
// reasons that are not bugs. Run on a quiet machine; each line prints the measurement beside its
// budget, and the exit code is 1 when any is over.
//  - fake Graph mail server: adding 100 000 messages to a folder (budget 15 s) and answering a
//    delta page of 100 at that size (budget 1 s);
//  - apify-client 2.25.0 retries against the fake Apify server: with the defaults, a 500 then a
//    429 are retried 500-1000 ms and 1000-2000 ms later; with minDelayBetweenRetriesMillis 10,
//    gap i of 8 retries is within [10 * 2^i, 20 * 2^i] ms (+ 150 ms for the round trip).
import { Client } from '@microsoft/microsoft-graph-client';
import { ApifyClient } from 'apify-client';
import { leadEnrichmentActor, loadFixtureEmails, startFakeApifyServer, startFakeGraphMailServer } from '@jobs/test-support';

const say = (line: string) => process.stdout.write(`${line}\n`);
let overBudget = 0;

/** Prints one measurement against its allowed range, counting it when outside. */
function report(what: string, measuredMs: number, atMostMs: number, atLeastMs = 0): void {
  const ok = measuredMs <= atMostMs && measuredMs >= atLeastMs;
  if (!ok) overBudget += 1;
  const range = atLeastMs > 0 ? `${atLeastMs}-${atMostMs} ms` : `<= ${atMostMs} ms`;
  say(`${ok ? 'ok  ' : 'OVER'}  ${what.padEnd(58)} ${`${measuredMs.toFixed(0)} ms`.padStart(9)}   (${range})`);
}

async function graphAtScale(): Promise<void> {
  const fixtures = loadFixtureEmails();
  const server = await startFakeGraphMailServer({ protocol: 'https' });
  try {
    const upn = 'bench@contoso.test';
    const mailbox = server.addMailbox(upn);
    const client = Client.init({
      baseUrl: server.origin,
      customHosts: new Set(['127.0.0.1']),
      fetchOptions: { dispatcher: server.dispatcher },
      authProvider: (done) => done(null, `token-${upn}`),
    });
    const started = performance.now();
    for (let i = 0; i < 100_000; i += 1) mailbox.addMessage((fixtures[i % fixtures.length] as { raw: Buffer }).raw);
    report('graph: add 100 000 messages to one folder', performance.now() - started, 15_000);
    const headers = { Prefer: 'odata.maxpagesize=100' };
    const first = (await client.api('/me/mailFolders/inbox/messages/delta?$select=subject').headers(headers).get()) as { '@odata.nextLink': string };
    const pageStarted = performance.now();
    await client.api(first['@odata.nextLink']).headers(headers).get();
    report('graph: second delta page of 100 at 100 000 messages', performance.now() - pageStarted, 1_000);
  } finally {
    await server.close();
  }
}

async function apifyRetryGaps(): Promise<void> {
  const token = 'apify_api_bench';
  const actor = 'bench~lead-enricher';
  const server = await startFakeApifyServer({ token });
  try {
    server.addActor(actor, { run: leadEnrichmentActor(), durationMs: 10 });
    const gapsFrom = (from: number): number[] => {
      const times = server.requests.slice(from).map((r) => r.at);
      return times.slice(1).map((t, i) => t - (times[i] as number));
    };

    server.failNext({ count: 1, status: 500 });
    server.throttle({ count: 1 });
    await new ApifyClient({ token, baseUrl: server.baseUrl }).actor(actor).start({ leads: [] });
    const [afterFiveHundred = 0, afterTooMany = 0] = gapsFrom(0);
    report('apify-client defaults: retry after a 500', afterFiveHundred, 1150, 498);
    report('apify-client defaults: retry after a 429', afterTooMany, 2150, 998);

    const from = server.requests.length;
    server.failNext({ count: 20, status: 500 });
    await new ApifyClient({ token, baseUrl: server.baseUrl, maxRetries: 8, minDelayBetweenRetriesMillis: 10 })
      .actor(actor)
      .start({ leads: [] })
      .catch(() => undefined);
    gapsFrom(from).forEach((gap, i) => report(`apify-client min 10 ms: gap before retry ${i + 1}`, gap, 20 * 2 ** i + 150, 10 * 2 ** i - 2));
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  say('fake server and client timings (run on a quiet machine)');
  await graphAtScale();
  await apifyRetryGaps();
  say(overBudget === 0 ? 'all within budget' : `${overBudget} over budget`);
  process.exitCode = overBudget === 0 ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
