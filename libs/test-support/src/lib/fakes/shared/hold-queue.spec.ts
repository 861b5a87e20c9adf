import { HoldQueue } from './hold-queue';

describe('HoldQueue', () => {
  it('is taken once, by the first matching request, which reaches it and waits for release', async () => {
    const holds = new HoldQueue();
    const held = holds.holdNext({ method: 'post', pathPattern: /\/call$/ });
    expect(holds.take('GET', '/call')).toBeUndefined();
    const outcome = holds.take('POST', '/call');
    expect(outcome).toBeDefined();
    expect(holds.take('POST', '/call')).toBeUndefined();
    await held.reached;
    held.release();
    await expect(outcome).resolves.toBe('release');
  });

  it('cut() and a release before the request both decide the answer', async () => {
    const holds = new HoldQueue();
    holds.holdNext({}).cut();
    await expect(holds.take('GET', '/a')).resolves.toBe('cut');
    holds.holdNext({}).release();
    await expect(holds.take('GET', '/a')).resolves.toBe('release');
  });

  it('cutAll() cuts taken and waiting holds alike', async () => {
    const holds = new HoldQueue();
    holds.holdNext({ pathPattern: /^\/a$/ });
    holds.holdNext({ pathPattern: /^\/b$/ });
    const taken = holds.take('GET', '/a');
    holds.cutAll();
    await expect(taken).resolves.toBe('cut');
    expect(holds.take('GET', '/b')).toBeUndefined();
  });
});
