export * from './queue-depth-metrics';
export * from './queue-depth-reading';
export * from './read-queue-depth';
