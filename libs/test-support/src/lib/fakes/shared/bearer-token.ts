/**
 * The token of an `Authorization: Bearer <token>` header (scheme in any case, RFC 6750 §2.1), or
 * `undefined` when the header is absent or not a bearer credential.
 */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
}
