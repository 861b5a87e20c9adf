// Entry point of the ads worker: the kit's app skeleton (ads-worker-app) around create-ads-app
// (token endpoint, Google Ads and Meta clients, analysis, report). Nothing below this file reads
// the environment.
import { adsWorkerApp } from './ads-worker-app';

void adsWorkerApp.main();
