import type { GuardedResponse } from '@jobs/net-guard';
import { toHttpOutput } from './to-http-output';

const response = (headers: GuardedResponse['headers'], body: Buffer | string, status = 200): GuardedResponse => ({
  url: 'https://crm.example/hook',
  status,
  headers,
  body: Buffer.isBuffer(body) ? body : Buffer.from(body),
  redirects: [],
});

describe('toHttpOutput', () => {
  it('parses JSON, including +json media types, and keeps only content-type and location', () => {
    expect(toHttpOutput(response({ 'content-type': 'application/problem+json', 'set-cookie': ['a=b'] }, '{"title":"x"}'))).toEqual({
      status: 200,
      headers: { 'content-type': 'application/problem+json' },
      body: { title: 'x' },
    });
  });

  it('keeps the text when a JSON response does not parse, and for other types', () => {
    expect(toHttpOutput(response({ 'content-type': 'application/json' }, '{broken')).body).toBe('{broken');
    expect(toHttpOutput(response({ 'content-type': 'text/html' }, '<p>hi</p>')).body).toBe('<p>hi</p>');
  });

  it('decodes text in the declared charset, UTF-8 when unknown', () => {
    expect(toHttpOutput(response({ 'content-type': 'text/plain; charset=iso-8859-1' }, Buffer.from([0x63, 0x61, 0x66, 0xe9]))).body).toBe('café');
    expect(toHttpOutput(response({ 'content-type': 'text/plain; charset=nonsense' }, 'café')).body).toBe('café');
  });

  it('gives null for an empty body', () => {
    expect(toHttpOutput(response({}, '', 204))).toEqual({ status: 204, headers: {}, body: null });
  });
});
