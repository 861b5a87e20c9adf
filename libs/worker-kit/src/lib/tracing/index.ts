export * from './traces-sampler-name';
export * from './tracing-config';
export * from './trace-log-fields';
export * from './redacting-span-processor';
export * from './start-tracing';
export * from './traces-destination-missing-error';
export * from './span-flush-timeout-error';
