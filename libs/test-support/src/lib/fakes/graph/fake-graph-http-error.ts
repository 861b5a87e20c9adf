/**
 * An error the fake Graph server answers with: `status` and Graph's
 * `{ error: { code, message, innerError } }` body, plus optional headers (e.g. Retry-After).
 */
export class FakeGraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'FakeGraphHttpError';
  }
}

/** 404 with the code and text Exchange uses for an unknown item or folder. */
export function itemNotFound(): FakeGraphHttpError {
  return new FakeGraphHttpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}
