export * from './lib/test-redis';
export * from './lib/wait-for';
export * from './lib/throwaway-redis';
export * from './lib/spawn-worker-process';
export * from './lib/start-test-server';
export * from './lib/serve-static-directory';
