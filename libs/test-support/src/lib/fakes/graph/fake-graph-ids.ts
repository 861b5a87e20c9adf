import { randomBytes } from 'node:crypto';

// Shapes copied from what Graph returns, not from its (undocumented) encodings: ids are long
// base64 strings with a recognisable prefix and `=` padding, change keys plain base64.

/** A message id like Graph's (`AAMkAD` + ~140 base64url characters + `=`). */
export function newGraphMessageId(): string {
  return `AAMkAD${randomBytes(105).toString('base64url')}=`;
}

/** A mail folder id like Graph's (`AAMkAD...AAEMAAA=`). */
export function newGraphFolderId(): string {
  return `AAMkAD${randomBytes(60).toString('base64url')}AAEMAAA=`;
}

/** A conversation id like Graph's (`AAQkAD...=`). */
export function newGraphConversationId(): string {
  return `AAQkAD${randomBytes(45).toString('base64url')}=`;
}

/** A change key like Graph's (`CQAAABYAAA...`, standard base64). */
export function newGraphChangeKey(): string {
  return `CQAAABYAAA${randomBytes(18).toString('base64')}`;
}

/** An RFC 5322 Message-ID for mail the fake writes itself, angle brackets included. */
export function newInternetMessageId(): string {
  return `<${randomBytes(12).toString('hex')}@fake-graph.invalid>`;
}

/** Graph's timestamp format: ISO 8601 UTC without milliseconds. */
export function graphDateTime(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
