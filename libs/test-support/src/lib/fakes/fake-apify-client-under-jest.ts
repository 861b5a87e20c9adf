/** The part of an `ApifyClient` that {@link skipApifyClientNodeInit} touches. */
export interface ApifyClientWithHttpClient {
  readonly httpClient: object;
}

/**
 * Lets `apify-client` (2.25) run inside Jest, and returns the same client.
 *
 * On its first request the client's `HttpClient.initNode()` does `import('proxy-agent')` and
 * `import('node:os')` (to build a keep-alive proxy agent and its `User-Agent`). Jest runs
 * CommonJS test code in a `vm` context where a dynamic `import()` throws "A dynamic import
 * callback was invoked without --experimental-vm-modules", so every call fails before any HTTP.
 * This marks that one-time initialisation as done (the private `nodeInitPromise`), so requests
 * go through Node's default agent (keep-alive in Node 20) with axios' default `User-Agent`;
 * retries, timeouts and interceptors are unchanged. Not needed outside Jest (node, tsx).
 *
 * Alternatives without touching the client: run Jest with
 * `NODE_OPTIONS=--experimental-vm-modules`, or let the swc transform compile
 * `node_modules/apify-client/dist` (its CommonJS output turns `import()` into `require`).
 */
export function skipApifyClientNodeInit<T extends ApifyClientWithHttpClient>(client: T): T {
  (client.httpClient as { nodeInitPromise?: Promise<void> }).nodeInitPromise = Promise.resolve();
  return client;
}
