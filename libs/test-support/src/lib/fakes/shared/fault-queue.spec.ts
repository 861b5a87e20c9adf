import { FaultQueue } from './fault-queue';

describe('FaultQueue', () => {
  it('hands each matching request the first rule with requests left, in setup order, counting down', () => {
    const faults = new FaultQueue<string>();
    faults.add(2, { method: 'post', pathPattern: /\/runs$/ }, () => 'throttled');
    faults.add(1, {}, () => 'any');
    expect(faults.take('GET', '/v2/runs')).toBe('any');
    expect(faults.take('GET', '/v2/runs')).toBeUndefined();
    expect(faults.take('POST', '/v2/runs')).toBe('throttled');
    expect(faults.take('POST', '/v2/other')).toBeUndefined();
    expect(faults.take('POST', '/v2/runs')).toBe('throttled');
    expect(faults.take('POST', '/v2/runs')).toBeUndefined();
  });

  it('matches a global pattern on every request, not every other one', () => {
    const faults = new FaultQueue<number>();
    faults.add(3, { pathPattern: /messages/g }, () => 503);
    expect([faults.take('GET', '/messages'), faults.take('GET', '/messages'), faults.take('GET', '/messages')]).toEqual([503, 503, 503]);
  });

  it('adds nothing for 0 and refuses a negative or fractional count', () => {
    const faults = new FaultQueue<number>();
    faults.add(0, {}, () => 500);
    expect(faults.take('GET', '/')).toBeUndefined();
    expect(() => faults.add(-1, {}, () => 500)).toThrow(RangeError);
    expect(() => faults.add(1.5, {}, () => 500)).toThrow(RangeError);
  });
});
