// A real worker process for the shutdown, eviction, timeout and start-up tests: the fixture app
// (fixture-app.ts) started by its entry point, as every worker's main.ts does.
import { fixtureApp } from './fixture-app';

void fixtureApp.main().then((app) => {
  // Tell the parent test where the health server listens.
  if (app) process.stdout.write(`${JSON.stringify({ fixtureReady: true, healthPort: app.health.port })}\n`);
});
