import { LazyAbortSignal } from './lazy-abort-signal';

describe('LazyAbortSignal', () => {
  it('is not aborted until abort is called, and its signal follows', () => {
    const lazy = new LazyAbortSignal();
    const { signal } = lazy;
    const reasons: unknown[] = [];
    signal.addEventListener('abort', () => reasons.push(signal.reason));
    expect(lazy.aborted).toBe(false);
    lazy.abort('stop');
    expect(lazy.aborted).toBe(true);
    expect(signal.aborted).toBe(true);
    expect(reasons).toEqual(['stop']);
  });

  it('aborted before anyone read it: the signal read later is already aborted with the first reason', () => {
    const lazy = new LazyAbortSignal();
    const first = new Error('first');
    lazy.abort(first);
    lazy.abort(new Error('second'));
    expect(lazy.aborted).toBe(true);
    expect(lazy.signal.aborted).toBe(true);
    expect(lazy.signal.reason).toBe(first);
  });

  it('hands out one signal', () => {
    const lazy = new LazyAbortSignal();
    expect(lazy.signal).toBe(lazy.signal);
  });
});
