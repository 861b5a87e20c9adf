// Entry point of the enrichment worker: the kit's app skeleton (enrichment-worker-app) around
// create-enrichment-handlers (rate limiter, Apify client, batch records). Nothing below this
// file reads the environment.
import { enrichmentWorkerApp } from './enrichment-worker-app';

void enrichmentWorkerApp.main();
