export * from './app-token-service-options';
export * from './post-to-app-token-service';
export * from './app-token-grant';
export * from './app-token-cache';
export * from './http-app-token-provider';
export * from './with-token-refresh';
