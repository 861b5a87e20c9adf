import { AppTokenCache, DEFAULT_APP_TOKEN_CACHE_MAX_ENTRIES, DEFAULT_APP_TOKEN_MAX_AGE_WITHOUT_EXPIRY_MS } from './app-token-cache';
import type { AppTokenGrant } from './app-token-grant';

const grant = (accessToken: string, expiresAtMs = Number.POSITIVE_INFINITY): AppTokenGrant => ({ accessToken, expiresAtMs, fields: { accessToken } });

describe('AppTokenCache', () => {
  it('hands a grant out until the margin before its expiry, then forgets it', () => {
    const cache = new AppTokenCache({ marginMs: 1000 });
    cache.set('k', grant('t', 10_000), 0);
    expect(cache.get('k', 8_999)?.accessToken).toBe('t');
    expect(cache.get('k', 9_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('keeps a grant without expiresAt for maxAgeWithoutExpiryMs after it was stored (default 50 min)', () => {
    expect(DEFAULT_APP_TOKEN_MAX_AGE_WITHOUT_EXPIRY_MS).toBe(50 * 60_000);
    const cache = new AppTokenCache();
    cache.set('k', grant('t'), 0);
    expect(cache.get('k', 50 * 60_000 - 1)?.accessToken).toBe('t');
    expect(cache.get('k', 50 * 60_000)).toBeUndefined();
    const short = new AppTokenCache({ maxAgeWithoutExpiryMs: 10 });
    short.set('k', grant('t'), 100);
    expect(short.get('k', 109)).toBeDefined();
    expect(short.get('k', 110)).toBeUndefined();
  });

  it('still takes the margin as a number, as before', () => {
    const cache = new AppTokenCache(5000);
    cache.set('k', grant('t', 10_000), 0);
    expect(cache.get('k', 4_999)).toBeDefined();
    expect(cache.get('k', 5_000)).toBeUndefined();
  });

  it('keeps at most maxEntries grants, forgetting the least recently used (default 10 000)', () => {
    expect(DEFAULT_APP_TOKEN_CACHE_MAX_ENTRIES).toBe(10_000);
    const cache = new AppTokenCache({ maxEntries: 3, now: () => 0 });
    cache.set('a', grant('a'));
    cache.set('b', grant('b'));
    cache.set('c', grant('c'));
    expect(cache.get('a')?.accessToken).toBe('a'); // a is now the most recently used
    cache.set('d', grant('d'));
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd'].map((k) => cache.get(k)?.accessToken)).toEqual(['a', 'c', 'd']);
    cache.set('c', grant('c2')); // replacing counts as a use
    cache.set('e', grant('e'));
    expect(['a', 'c', 'd', 'e'].map((k) => cache.get(k)?.accessToken)).toEqual([undefined, 'c2', 'd', 'e']);

    const big = new AppTokenCache({ now: () => 0 });
    for (let i = 0; i < 10_050; i++) big.set(`k${i}`, grant(String(i)));
    expect(big.size).toBe(10_000);
    expect(big.get('k49')).toBeUndefined();
    expect(big.get('k50')?.accessToken).toBe('50');
  });

  it('refuses bounds that make no sense', () => {
    expect(() => new AppTokenCache({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new AppTokenCache({ maxEntries: 1.5 })).toThrow(RangeError);
    expect(() => new AppTokenCache({ marginMs: -1 })).toThrow(RangeError);
    expect(() => new AppTokenCache({ maxAgeWithoutExpiryMs: Number.NaN })).toThrow(RangeError);
  });
});
