import { RefusedWriteLogLimit } from './refused-write-log-limit';

describe('RefusedWriteLogLimit', () => {
  it('logs the first maxLines refusals of an address per window, counts the rest and reports them on the next window\'s first line', () => {
    let now = 1_000_000;
    const limit = new RefusedWriteLogLimit({ maxLines: 3, windowMs: 60_000, now: () => now });
    const first = Array.from({ length: 50 }, () => limit.admit('10.0.0.1'));
    expect(first.filter((d) => d.log)).toHaveLength(3);
    expect(first.every((d) => d.suppressed === 0)).toBe(true);
    // Another address has its own budget.
    expect(limit.admit('10.0.0.2')).toEqual({ log: true, suppressed: 0 });
    now += 59_999;
    expect(limit.admit('10.0.0.1').log).toBe(false);
    now += 1;
    expect(limit.admit('10.0.0.1')).toEqual({ log: true, suppressed: 48 });
    expect(limit.admit('10.0.0.1')).toEqual({ log: true, suppressed: 0 });
  });

  it('counts an IPv6 /64 as one address and forgets the oldest address past maxKeys', () => {
    const limit = new RefusedWriteLogLimit({ maxLines: 1, maxKeys: 2, now: () => 0 });
    expect(limit.admit('2001:db8:0:1::1').log).toBe(true);
    expect(limit.admit('2001:db8:0:1::2').log).toBe(false);
    limit.admit('10.0.0.1');
    limit.admit('10.0.0.2');
    expect(limit.admit('2001:db8:0:1::3').log).toBe(true);
  });
});
