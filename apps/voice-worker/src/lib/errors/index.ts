// The voice worker's error classes, one per file, in one module: steps and clients throw these,
// and `to-job-error.ts` is the one place that turns them into job outcomes.
export * from './call-record-corrupt-error';
export * from './invalid-phone-number-error';
export * from './vapi-rejected-error';
export * from './vapi-throttled-error';
export * from './vapi-unavailable-error';
