import type { RequestHandler } from 'express';
import { maskSecrets } from './mask-secrets';

/**
 * Every JSON body sent after this middleware (`res.json`, and `res.send` of an object, which
 * goes through it) passes through {@link maskSecrets}: Bull Board's API answers — jobs'
 * failure reasons, stack traces, options, logs, error details — never carry a secret to the browser.
 */
export const maskJsonResponses: RequestHandler = (_req, res, next) => {
  const json = res.json.bind(res);
  res.json = (body?: unknown) => json(maskSecrets(body));
  next();
};
