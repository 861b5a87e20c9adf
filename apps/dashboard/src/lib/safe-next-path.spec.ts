import { safeNextPath } from './safe-next-path';

describe('safeNextPath (no open redirect)', () => {
  it.each([
    ['/ops/queues/queue/email?status=failed', '/ops/queues/queue/email?status=failed'],
    ['/ops/queues', '/ops/queues'],
    ['//evil.example/ops/queues', '/ops/queues'],
    ['/\\evil.example', '/ops/queues'],
    ['https://evil.example/ops/queues', '/ops/queues'],
    ['/ops/queues/../../admin', '/ops/queues'],
    ['/ops/queuesx/y', '/ops/queues'],
    ['/other', '/ops/queues'],
    ['javascript:alert(1)', '/ops/queues'],
    ['/ops/queues/%2F%2Fevil.example', '/ops/queues/%2F%2Fevil.example'],
    ['/ops/queues/login', '/ops/queues'],
    ['/ops/queues/\tx', '/ops/queues'],
    [undefined, '/ops/queues'],
    [['/ops/queues/a'], '/ops/queues'],
  ])('%p → %p under /ops/queues', (next, expected) => {
    expect(safeNextPath(next, '/ops/queues')).toBe(expected);
  });

  it('keeps any path of this host under the root base path, never another host', () => {
    expect(safeNextPath('/queue/email', '/')).toBe('/queue/email');
    expect(safeNextPath('//evil.example', '/')).toBe('/');
    expect(safeNextPath('/\\/evil.example', '/')).toBe('/');
  });
});
