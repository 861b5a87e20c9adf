export * from './queue-depth-metrics';
export * from './queue-depth-reading';
export * from './read-queue-depth';
export * from './queue-backend-unsupported-error';
export * from './queue-depth-reply-error';
