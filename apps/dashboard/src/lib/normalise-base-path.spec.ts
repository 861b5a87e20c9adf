import { normaliseBasePath } from './normalise-base-path';

describe('normaliseBasePath', () => {
  it.each([
    ['', '/'],
    ['/', '/'],
    ['ops/queues/', '/ops/queues'],
    ['//ops//queues', '/ops/queues'],
    ['/a-b_c.d~e', '/a-b_c.d~e'],
  ])('%p → %p', (input, expected) => expect(normaliseBasePath(input)).toBe(expected));

  it.each(['/ops/../x', '/./x', '/a b', '/a?b', '/a%2Fb', 'http://x/y'])('refuses %p', (input) => expect(normaliseBasePath(input)).toBeUndefined());
});
