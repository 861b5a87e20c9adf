import { canonicalPath, isApiPath } from './canonical-path';

describe('canonicalPath', () => {
  it.each([
    ['/api/queues/email/add', '/api/queues/email/add'],
    ['/API/queues/email/ADD', '/api/queues/email/add'],
    ['/api/queues/email/1/Update-Data/', '/api/queues/email/1/update-data'],
    ['//api//queues/email/add//', '/api/queues/email/add'],
    ['/api%2Fqueues/email/%61dd', '/api/queues/email/add'],
    ['/api/queues/email/add;jsessionid=1', '/api/queues/email/add'],
    ['/api/./queues/email/add', '/api/queues/email/add'],
    ['/api/queues/%E0%A4%A/add', '/api/queues/%e0%a4%a/add'],
    ['', '/'],
  ])('%s → %s', (input, expected) => {
    expect(canonicalPath(input)).toBe(expected);
  });

  it('tells API paths in any spelling from pages', () => {
    for (const path of ['/api', '/API', '/Api/', '//api/queues', '/%61pi/queues']) expect([path, isApiPath(path)]).toEqual([path, true]);
    for (const path of ['/', '/apix', '/queue/api', '/login']) expect([path, isApiPath(path)]).toEqual([path, false]);
  });
});
