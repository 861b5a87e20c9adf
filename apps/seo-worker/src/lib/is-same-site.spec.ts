import { isSameSite } from './is-same-site';

const same = (a: string, b: string): boolean => isSameSite(new URL(a), new URL(b));

describe('isSameSite', () => {
  it('treats www., scheme changes on default ports and case as the same site', () => {
    expect(same('http://example.com/', 'https://www.example.com/about')).toBe(true);
    expect(same('https://EXAMPLE.com:443/', 'http://example.com:80/')).toBe(true);
  });

  it('tells other hosts, subdomains and ports apart', () => {
    expect(same('http://example.com/', 'http://blog.example.com/')).toBe(false);
    expect(same('http://example.com/', 'http://example.org/')).toBe(false);
    expect(same('http://127.0.0.1:8080/', 'http://127.0.0.1:9090/')).toBe(false);
    expect(same('http://example.com/', 'http://example.com:8080/')).toBe(false);
  });
});
