import { STATUS_CODES } from 'node:http';

/**
 * An answer of the fake Vapi API other than 2xx, with the body Vapi's NestJS server gives:
 * `{ message, error, statusCode }`, where `message` is a list of validation messages for a 400
 * (class-validator) and a string otherwise.
 */
export class FakeVapiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Readonly<Record<string, unknown>>,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${JSON.stringify(body)}`);
    this.name = 'FakeVapiHttpError';
  }
}

/** 400 with class-validator's messages, e.g. `['property metadata should not exist']`. */
export function vapiBadRequest(messages: readonly string[]): FakeVapiHttpError {
  return new FakeVapiHttpError(400, { message: [...messages], error: 'Bad Request', statusCode: 400 });
}

/**
 * 401 for a missing or wrong key, in the words Vapi uses (as reported by users on
 * support.vapi.ai, "Getting 401 Unauthorized, Invalid Key when creating a call").
 */
export function vapiUnauthorized(): FakeVapiHttpError {
  return new FakeVapiHttpError(401, {
    message: 'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.',
    error: 'Unauthorized',
    statusCode: 401,
  });
}

/** 404 of a known route whose resource does not exist (NestJS `NotFoundException(message)`). */
export function vapiNotFound(message: string): FakeVapiHttpError {
  return new FakeVapiHttpError(404, { message, error: 'Not Found', statusCode: 404 });
}

/** 404 of a route that does not exist: NestJS's own `Cannot METHOD /path`. */
export function vapiRouteNotFound(method: string, path: string): FakeVapiHttpError {
  return vapiNotFound(`Cannot ${method} ${path}`);
}

/**
 * 429 as NestJS's throttler words it, with `Retry-After` (seconds) when given. Vapi does not
 * document its rate-limit answer; this is the framework's default.
 */
export function vapiTooManyRequests(retryAfterSeconds?: number): FakeVapiHttpError {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return new FakeVapiHttpError(429, { message: 'ThrottlerException: Too Many Requests', statusCode: 429 }, headers);
}

/** Any other status, NestJS style: 500 `Internal server error`, else the HTTP reason phrase. */
export function vapiHttpStatus(status: number, retryAfterSeconds?: number): FakeVapiHttpError {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  const reason = STATUS_CODES[status] ?? 'Error';
  const body = status === 500 ? { message: 'Internal server error', statusCode: 500 } : { message: reason, error: reason, statusCode: status };
  return new FakeVapiHttpError(status, body, headers);
}
