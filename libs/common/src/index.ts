export * from './lib/with-timeout';
export * from './lib/format-zod-error';
export * from './lib/without-empty-values';
export * from './lib/env-boolean-schema';
