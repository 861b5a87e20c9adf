import { metaPageUrl } from './meta-page-url';

describe('metaPageUrl', () => {
  it("keeps path and query, puts the page on the configured origin and the current token in it", () => {
    const next = 'https://graph.facebook.com/v24.0/act_1/insights?access_token=old&fields=spend&after=QVFI';
    const url = new URL(metaPageUrl(next, 'http://127.0.0.1:4321', 'fresh'));
    expect(url.origin).toBe('http://127.0.0.1:4321');
    expect(url.pathname).toBe('/v24.0/act_1/insights');
    expect(url.searchParams.get('access_token')).toBe('fresh');
    expect(url.searchParams.get('after')).toBe('QVFI');
    expect(url.searchParams.get('fields')).toBe('spend');
  });

  it('never sends the token to another host an answer named', () => {
    expect(new URL(metaPageUrl('https://evil.example/v24.0/x?after=1', 'https://graph.facebook.com', 't')).host).toBe('graph.facebook.com');
  });

  it('keeps a path prefix of the configured Graph URL (once)', () => {
    expect(metaPageUrl('https://graph.facebook.com/v24.0/act_1/insights?after=1', 'https://proxy.example/graph/', 't')).toBe('https://proxy.example/graph/v24.0/act_1/insights?after=1&access_token=t');
    expect(metaPageUrl('https://proxy.example/graph/v24.0/act_1/insights?after=1', 'https://proxy.example/graph', 't')).toBe('https://proxy.example/graph/v24.0/act_1/insights?after=1&access_token=t');
  });
});
