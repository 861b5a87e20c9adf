import addressparser from 'nodemailer/lib/addressparser';
import { decodeEncodedWords } from '../shared/mime-decoding';
import type { FakeGraphRecipient } from './fake-graph-message';

/** The top-level headers of an RFC 822 message that Graph surfaces as message properties. */
export interface FakeGraphEnvelope {
  readonly subject: string;
  readonly from: FakeGraphRecipient | undefined;
  readonly toRecipients: readonly FakeGraphRecipient[];
  readonly ccRecipients: readonly FakeGraphRecipient[];
  readonly bccRecipients: readonly FakeGraphRecipient[];
  readonly replyTo: readonly FakeGraphRecipient[];
  /** Message-ID with angle brackets, `undefined` when missing. */
  readonly messageId: string | undefined;
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  /** The Date header, `undefined` when missing or unparsable. */
  readonly date: Date | undefined;
}

const cache = new WeakMap<Buffer, FakeGraphEnvelope>();

/**
 * Reads the envelope headers of `raw` synchronously (mailparser is asynchronous, and adding a
 * message must not be). Unfolds lines, decodes RFC 2047 encoded words in any charset the
 * runtime's TextDecoder knows (latin1 otherwise), reads raw 8-bit headers as UTF-8, parses
 * addresses with nodemailer's addressparser. The first occurrence of a header wins. Cached per
 * Buffer, so adding the same Buffer 100 000 times parses it once.
 */
export function readEnvelope(raw: Buffer): FakeGraphEnvelope {
  const cached = cache.get(raw);
  if (cached) return cached;
  const headers = readHeaderFields(raw);
  const first = (name: string): string | undefined => headers.get(name)?.[0];
  const parsedDate = first('date') === undefined ? NaN : Date.parse(first('date') as string);
  const from = recipients(first('from'));
  const envelope: FakeGraphEnvelope = {
    subject: decodeEncodedWords(first('subject') ?? '').trim(),
    from: from[0],
    toRecipients: recipients(first('to')),
    ccRecipients: recipients(first('cc')),
    bccRecipients: recipients(first('bcc')),
    replyTo: recipients(first('reply-to')),
    messageId: messageIds(first('message-id'))[0],
    inReplyTo: messageIds(first('in-reply-to')),
    references: messageIds(first('references')),
    date: Number.isNaN(parsedDate) ? undefined : new Date(parsedDate),
  };
  cache.set(raw, envelope);
  return envelope;
}

/** Header name (lower case) → unfolded values in order of appearance. */
function readHeaderFields(raw: Buffer): Map<string, string[]> {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  const headerBytes = raw.subarray(0, ends.length ? Math.min(...ends) : raw.length);
  let text = headerBytes.toString('utf8');
  if (text.includes('\uFFFD')) text = headerBytes.toString('latin1');
  const fields = new Map<string, string[]>();
  for (const line of text.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = fields.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    fields.set(name, values);
  }
  return fields;
}

function recipients(value: string | undefined): FakeGraphRecipient[] {
  if (!value) return [];
  return addressparser(value, { flatten: true })
    .filter((a) => a.address)
    .map((a) => {
      const name = decodeEncodedWords(a.name).trim();
      return { emailAddress: { name: name || a.address, address: a.address } };
    });
}

function messageIds(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  const bare = value.trim();
  return bare ? [`<${bare}>`] : [];
}
