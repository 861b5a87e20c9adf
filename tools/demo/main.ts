// `npm run demo [-- <url | folder>] [--depth N] [--max-pages N] [--only seo|email|voice|enrichment|workflow|ads]`
//
// Runs the platform end to end on one machine: Redis (REDIS_URL, or a throwaway redis-server),
// then the SEO worker auditing a site, the email worker syncing two mailboxes and writing a
// reply draft, the voice worker placing calls, the enrichment worker running an actor and the
// workflow worker driving those three through a "new inbound lead" automation, and the ads
// worker analysing a Google Ads and a Meta account, against local servers that speak the Gmail,
// Graph, chat completions, Vapi, Apify, Google Ads and Meta Graph APIs —
// each worker as its own process, jobs enqueued through the typed producers, progress while
// they run, and a clean shutdown of everything started.
import { parseArgs } from 'node:util';
import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { RedisServerMissingError, startThrowawayRedis } from '@jobs/test-support';
import { loadDotEnv } from '@jobs/worker-kit';
import type { DemoContext } from './demo-context';
import { runAdsDemo } from './run-ads-demo';
import { runEmailDemo } from './run-email-demo';
import { runEnrichmentDemo } from './run-enrichment-demo';
import { runVoiceDemo } from './run-voice-demo';
import { runWorkflowDemo } from './run-workflow-demo';
import { runSeoDemo, SAMPLE_SITE } from './run-seo-demo';

const USAGE = 'usage: npm run demo [-- <url | folder>] [--depth N] [--max-pages N] [--only seo|email|voice|enrichment|workflow|ads]';
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  // `.env` of the current directory (REDIS_URL …), as every entry point; set variables win.
  loadDotEnv();
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: {
      depth: { type: 'string', default: '3' },
      'max-pages': { type: 'string', default: '2000' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    say(USAGE);
    say('  no target: audits the sample site in tools/demo/sample-site');
    say('  --only seo | email | voice | enrichment | workflow | ads: run one part (default: all)');
    return 0;
  }
  const depth = values.depth.trim() === '' ? NaN : Number(values.depth);
  const maxPages = values['max-pages'].trim() === '' ? NaN : Number(values['max-pages']);
  if (!Number.isInteger(depth) || depth < 0 || depth > 20) throw new Error(`--depth must be a whole number from 0 to 20, not "${values.depth}"`);
  if (!Number.isInteger(maxPages) || maxPages < 1) throw new Error(`--max-pages must be a positive whole number, not "${values['max-pages']}"`);
  const PARTS = ['seo', 'email', 'voice', 'enrichment', 'workflow', 'ads'];
  if (values.only !== undefined && !PARTS.includes(values.only)) throw new Error(`--only must be one of ${PARTS.join(', ')}, not "${values.only}"`);
  const runs = (part: string) => values.only === undefined || values.only === part;

  const cleanup: (() => Promise<void>)[] = [];
  // Runs once, whoever asks first (the end of the run or a signal); both wait for the same end.
  let cleaning: Promise<void> | undefined;
  const runCleanup = () =>
    (cleaning ??= (async () => {
      for (const step of cleanup.reverse()) await step().catch(() => undefined);
    })());
  let interrupted = false;
  // Ctrl-C, a closed terminal or a kill: stop what this run started before exiting. A closed
  // stdout (e.g. piped into `head`) must not crash the run before its clean-up either.
  process.stdout.on('error', () => undefined);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interrupted) return; // a repeated Ctrl-C must not cut the clean-up short
      interrupted = true;
      say('\ninterrupted: stopping the workers and cleaning up …');
      void runCleanup().then(() => process.exit(130));
    });
  }

  try {
    let redisUrl = process.env['REDIS_URL'];
    if (redisUrl) {
      say(`using Redis at REDIS_URL`);
    } else {
      const redis = await startThrowawayRedis();
      cleanup.push(() => redis.stop());
      redisUrl = redis.url;
      say(`started a throwaway redis-server on ${redis.url} (nothing kept on disk)`);
    }
    const ctx: DemoContext = {
      redisUrl,
      redisSettings: redisSettingsFromEnv({ REDIS_URL: redisUrl }),
      prefix: `demo-${process.pid}`,
      externalRedis: Boolean(process.env['REDIS_URL']),
      say,
      onCleanup: (step) => cleanup.push(step),
    };
    if (runs('seo')) {
      say('');
      say('== SEO audit ==');
      await runSeoDemo(ctx, { target: positionals[0] ?? SAMPLE_SITE, depth, maxPages });
    }
    if (runs('email')) {
      say('');
      say('== Email: sync two mailboxes, then a reply draft ==');
      await runEmailDemo(ctx);
    }
    if (runs('voice')) {
      say('');
      say('== Voice: three outbound calls followed to their end ==');
      await runVoiceDemo(ctx);
    }
    if (runs('enrichment')) {
      say('');
      say('== Enrichment: 60 leads through an Apify actor ==');
      await runEnrichmentDemo(ctx);
    }
    if (runs('workflow')) {
      say('');
      say('== Workflow: a "new inbound lead" automation over the enrichment, email and voice workers ==');
      await runWorkflowDemo(ctx);
    }
    if (runs('ads')) {
      say('');
      say('== Ads: a Google Ads and a Meta account analysed for January 2024 (synthetic data, injected faults) ==');
      await runAdsDemo(ctx);
    }
    return 0;
  } catch (err) {
    if (interrupted) return 130;
    if (err instanceof RedisServerMissingError) {
      process.stderr.write(`\n${err.message}\n`);
      return 1;
    }
    process.stderr.write(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    await runCleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.stderr.write(`${USAGE}\n`);
    process.exit(1);
  },
);
