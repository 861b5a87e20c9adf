import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * POSTs `body` as JSON to `url` on a connection of its own (no keep-alive pool left behind) and
 * resolves with the HTTP status once the answer has been read.
 * @throws Error on a network failure, when `timeoutMs` passes without activity, or when `signal` aborts.
 */
export function postFakeVapiWebhook(
  url: string,
  body: unknown,
  headers: Readonly<Record<string, string>>,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<number> {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const request = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = request(url, {
      method: 'POST',
      agent: false,
      signal: options.signal,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'fake-vapi-server' },
    });
    req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.once('error', reject);
    req.once('response', (res) => {
      res.once('error', reject);
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.resume();
    });
    req.end(payload);
  });
}
