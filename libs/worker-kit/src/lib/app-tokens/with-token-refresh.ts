/** How {@link withTokenRefresh} gets a token, tells a refusal, and names a second refusal. */
export interface TokenRefreshOptions<T> {
  /** A token (or grant); `forceRefresh` true after the provider refused the last one. */
  readonly getToken: (forceRefresh: boolean) => Promise<T>;
  /** True when `err` is the provider refusing the token (HTTP 401), e.g. `err instanceof ProviderAuthError`. */
  readonly isRefusal: (err: unknown) => boolean;
  /** The error thrown when a freshly issued token is refused too (the grant itself is gone); `err` is the refusal. */
  readonly refusedAgain: (err: unknown) => Error;
}

/**
 * Runs `call` with a token. When the provider refuses it, asks for a fresh one once and tries
 * again; a second refusal means the user's grant is gone and `refusedAgain(err)` is thrown.
 * Anything else `call` throws goes through unchanged.
 */
export async function withTokenRefresh<T, R>(options: TokenRefreshOptions<T>, call: (token: T) => Promise<R>): Promise<R> {
  const first = await options.getToken(false);
  try {
    return await call(first);
  } catch (err) {
    if (!options.isRefusal(err)) throw err;
  }
  const fresh = await options.getToken(true);
  try {
    return await call(fresh);
  } catch (err) {
    if (options.isRefusal(err)) throw options.refusedAgain(err);
    throw err;
  }
}
