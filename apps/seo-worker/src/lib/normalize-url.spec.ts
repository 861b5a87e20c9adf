import { normalizeUrl } from './normalize-url';

describe('normalizeUrl', () => {
  it('resolves, drops the fragment and keeps the query', () => {
    expect(normalizeUrl('../b/c.html?x=1#top', 'https://Example.COM:443/a/d/')).toBe('https://example.com/a/b/c.html?x=1');
    expect(normalizeUrl(' #only-fragment ', 'http://example.com/page')).toBe('http://example.com/page');
    expect(normalizeUrl('http://example.com')).toBe('http://example.com/');
  });

  it('gives null for other schemes and unparseable input', () => {
    expect(normalizeUrl('mailto:a@example.com')).toBeNull();
    expect(normalizeUrl('javascript:void(0)', 'http://example.com/')).toBeNull();
    expect(normalizeUrl('data:text/plain,hi')).toBeNull();
    expect(normalizeUrl('http://[bad')).toBeNull();
    expect(normalizeUrl('relative/without/base')).toBeNull();
  });
});
