import { LoginRateLimit } from './login-rate-limit';

describe('LoginRateLimit', () => {
  it('allows a burst per address, then one attempt per refill interval, with the wait to announce', () => {
    let now = 1_000_000;
    const limit = new LoginRateLimit({ now: () => now, burst: 3, refillMs: 1000, maxInFlight: 10 });
    const answers = Array.from({ length: 4 }, () => limit.acquire('10.0.0.1'));
    for (const a of answers) if (a.ok) a.release();
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, false]);
    expect(answers[3]).toEqual({ ok: false, retryAfterMs: 1000 });
    // Another address has its own bucket; another address of the same IPv6 /64 does not.
    expect(limit.acquire('10.0.0.2').ok).toBe(true);
    now += 1000;
    const next = limit.acquire('10.0.0.1');
    expect(next.ok).toBe(true);
    expect(limit.acquire('10.0.0.1').ok).toBe(false);
  });

  it('counts an IPv6 /64 as one address', () => {
    const limit = new LoginRateLimit({ burst: 2, maxInFlight: 10 });
    expect(limit.acquire('2001:db8:0:1::1').ok).toBe(true);
    expect(limit.acquire('2001:db8:0:1::2').ok).toBe(true);
    expect(limit.acquire('2001:db8:0:1:ffff::3').ok).toBe(false);
    expect(limit.acquire('2001:db8:0:2::1').ok).toBe(true);
  });

  it('bounds checks in flight per address until they are released', () => {
    const limit = new LoginRateLimit({ burst: 100, maxInFlight: 2 });
    const first = limit.acquire('ip');
    const second = limit.acquire('ip');
    expect(limit.acquire('ip')).toEqual({ ok: false, retryAfterMs: 1000 });
    if (first.ok) {
      first.release();
      first.release();
    }
    expect(limit.acquire('ip').ok).toBe(true);
    expect(limit.acquire('ip').ok).toBe(false);
    expect(second.ok).toBe(true);
  });
});
