// The enrichment worker's error classes, one per file, in one module: steps and clients throw
// these, and `to-job-error.ts` is the one place that turns them into job outcomes.
export * from './actor-run-missing-error';
export * from './apify-throttled-error';
export * from './batch-record-corrupt-error';
export * from './job-cancelled-error';
export * from './worker-shutting-down-error';
