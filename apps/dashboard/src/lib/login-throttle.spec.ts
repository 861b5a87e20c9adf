import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('lets 5 failures through, then locks the user+address out for 1 s doubling, up to the cap', () => {
    let now = 1_000_000;
    const throttle = new LoginThrottle({ now: () => now, maxLockMs: 10_000 });
    const locks = Array.from({ length: 10 }, () => throttle.recordFailure('admin', '10.0.0.1'));
    expect(locks).toEqual([0, 0, 0, 0, 0, 1000, 2000, 4000, 8000, 10_000]);
    expect(throttle.lockedForMs('admin', '10.0.0.1')).toBe(10_000);
    expect(throttle.lockedForMs('ADMIN', '10.0.0.1')).toBe(10_000);
    // Another address or another user is not locked.
    expect(throttle.lockedForMs('admin', '10.0.0.2')).toBe(0);
    expect(throttle.lockedForMs('viewer', '10.0.0.1')).toBe(0);
    now += 10_000;
    expect(throttle.lockedForMs('admin', '10.0.0.1')).toBe(0);
    // The next failure locks for longer than the free ones did: the count was kept.
    expect(throttle.recordFailure('admin', '10.0.0.1')).toBe(10_000);
  });

  it('forgets after a success, and after a quiet period', () => {
    let now = 0;
    const throttle = new LoginThrottle({ now: () => now, forgetAfterMs: 60_000 });
    for (let i = 0; i < 6; i += 1) throttle.recordFailure('a', 'ip');
    throttle.recordSuccess('a', 'ip');
    expect(throttle.lockedForMs('a', 'ip')).toBe(0);
    expect(throttle.recordFailure('a', 'ip')).toBe(0);
    for (let i = 0; i < 5; i += 1) throttle.recordFailure('b', 'ip');
    now += 60_001;
    expect(throttle.recordFailure('b', 'ip')).toBe(0);
  });

  it('remembers a bounded number of keys', () => {
    const throttle = new LoginThrottle({ maxKeys: 3, freeFailures: 0 });
    for (const ip of ['1', '2', '3', '4']) throttle.recordFailure('u', ip);
    expect(throttle.lockedForMs('u', '1')).toBe(0);
    expect(throttle.lockedForMs('u', '4')).toBeGreaterThan(0);
  });
});

describe('LoginThrottle budget per user across addresses', () => {
  it('locks a user out everywhere once failures from rotating addresses (or one IPv6 /64) pass the user budget', () => {
    const throttle = new LoginThrottle({ userFreeFailures: 8, maxLockMs: 60_000 });
    // Each address stays under its own 5 free failures.
    for (let i = 0; i < 8; i += 1) expect(throttle.recordFailure('admin', `10.0.0.${i}`)).toBe(0);
    expect(throttle.recordFailure('admin', '10.0.0.200')).toBe(1000);
    expect(throttle.lockedForMs('admin', '10.9.9.9')).toBeGreaterThan(0);
    expect(throttle.lockedForMs('Admin', '2001:db8::1')).toBeGreaterThan(0);
    // Another user is not locked; a success from one address does not reset the user's budget.
    expect(throttle.lockedForMs('viewer', '10.9.9.9')).toBe(0);
    throttle.recordSuccess('admin', '10.0.0.1');
    expect(throttle.lockedForMs('admin', '10.0.0.1')).toBeGreaterThan(0);
  });

  it('counts every address of one IPv6 /64 as one address', () => {
    const throttle = new LoginThrottle();
    for (let i = 1; i <= 5; i += 1) expect(throttle.recordFailure('admin', `2001:db8:0:1::${i}`)).toBe(0);
    expect(throttle.recordFailure('admin', '2001:db8:0:1:abcd::1')).toBe(1000);
    expect(throttle.lockedForMs('admin', '2001:db8:0:2::1')).toBe(0);
  });
});
