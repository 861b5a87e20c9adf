// `npm run smoke:built`: each built worker app (and the dashboard) runs alone, as it is deployed — copied out of the
// repo, its generated package.json installed with `npm install --omit=dev`, started as its
// `npm start` does (`node --max-semi-space-size=2 main.js`) — and does real work through Redis
// and local servers; SIGTERM must exit 0. Builds the apps it
// runs first (`nx run-many -t build`, cached when nothing changed), so a fresh clone needs no
// separate `npm run build`; `.env` of the current directory is loaded (for REDIS_URL).
// Prints `N passed, M failed` and exits non-zero when any failed.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadDotEnv } from '@jobs/worker-kit';
import { smokeBuiltAdsWorker } from './built-ads-worker';
import { ROOT } from './built-app';
import { smokeBuiltDashboard } from './built-dashboard';
import { smokeBuiltEmailWorker } from './built-email-worker';
import { smokeBuiltEnrichmentWorker } from './built-enrichment-worker';
import { smokeBuiltSeoWorker } from './built-seo-worker';
import { smokeBuiltVoiceWorker } from './built-voice-worker';
import { smokeBuiltWorkflowWorker } from './built-workflow-worker';

const SMOKES: [string, () => Promise<void>][] = [
  ['seo-worker', smokeBuiltSeoWorker],
  ['email-worker', smokeBuiltEmailWorker],
  ['voice-worker', smokeBuiltVoiceWorker],
  ['enrichment-worker', smokeBuiltEnrichmentWorker],
  ['workflow-worker', smokeBuiltWorkflowWorker],
  ['ads-worker', smokeBuiltAdsWorker],
  ['dashboard', smokeBuiltDashboard],
];

async function main(): Promise<number> {
  loadDotEnv();
  const apps = SMOKES.map(([name]) => name);
  process.stdout.write(`building ${apps.join(', ')} …\n`);
  const build = spawnSync(join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', apps.join(','), '--outputStyle=stream'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    process.stderr.write('the build failed (see above); nothing was smoke-tested\n');
    return 1;
  }
  let failed = 0;
  for (const [name, smoke] of SMOKES) {
    try {
      await smoke();
    } catch (err) {
      failed += 1;
      process.stderr.write(`built ${name} smoke test failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  process.stdout.write(`${SMOKES.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
