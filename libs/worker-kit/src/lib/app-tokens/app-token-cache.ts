import type { AppTokenGrant } from './app-token-grant';

/**
 * Grants by key, in this process only, handed out until `marginMs` before they expire. Not
 * shared through Redis on purpose: an access token stays in the memory of the process that
 * asked for it.
 */
export class AppTokenCache {
  private readonly grants = new Map<string, AppTokenGrant>();

  /** @param marginMs - a grant is stale this many ms before its `expiresAtMs`; default 60000. */
  constructor(private readonly marginMs = 60_000) {}

  /** The grant under `key` while still fresh at `nowMs` (default now), else undefined (and forgotten). */
  get(key: string, nowMs = Date.now()): AppTokenGrant | undefined {
    const grant = this.grants.get(key);
    if (grant && grant.expiresAtMs - this.marginMs > nowMs) return grant;
    this.grants.delete(key);
    return undefined;
  }

  set(key: string, grant: AppTokenGrant): void {
    this.grants.set(key, grant);
  }

  delete(key: string): void {
    this.grants.delete(key);
  }
}
