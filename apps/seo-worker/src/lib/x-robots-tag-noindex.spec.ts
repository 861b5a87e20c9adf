import { xRobotsTagNoindex } from './x-robots-tag-noindex';

describe('xRobotsTagNoindex', () => {
  it.each([
    ['noindex', true],
    ['noindex, nofollow', true],
    ['NONE', true],
    ['googlebot: noindex', true],
    ['bingbot: noindex', false],
    ['unavailable_after: 25 Jun 2010 15:00:00 PST', false],
    ['nofollow', false],
  ])('%s → %s', (value, expected) => {
    expect(xRobotsTagNoindex(value)).toBe(expected);
  });

  it('reads repeated headers and a missing one', () => {
    expect(xRobotsTagNoindex(['bingbot: noindex', 'googlebot: none'])).toBe(true);
    expect(xRobotsTagNoindex(undefined)).toBe(false);
  });
});
