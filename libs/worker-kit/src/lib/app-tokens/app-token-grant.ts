/**
 * Whose grant to ask the app for: the user, the app's id of the connected account, and the
 * provider it is connected to (`gmail`, `outlook`, `google-ads`, `meta` …). Sent as the body of
 * the token request, with `forceRefresh`.
 */
export interface AppTokenRef {
  readonly userId: string;
  readonly accountId: string;
  readonly provider: string;
}

/**
 * The app's answer to a token request: `accessToken`, `expiresAtMs` (epoch ms; `Infinity` when
 * the app gave no `expiresAt`: the token is used until the provider refuses it, and cached at
 * most `AppTokenCache`'s max age, 50 min by default) and `fields`,
 * the whole JSON object the app answered (for provider-specific extras such as the ads
 * worker's `platformAccountId`; the caller validates what it reads from it).
 */
export interface AppTokenGrant {
  readonly accessToken: string;
  readonly expiresAtMs: number;
  readonly fields: Readonly<Record<string, unknown>>;
}
