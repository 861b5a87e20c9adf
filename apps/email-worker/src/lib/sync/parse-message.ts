import { simpleParser, type AddressObject, type EmailAddress } from 'mailparser';
import type { SyncedEmailMessage } from '@jobs/queue-contracts';
import type { RawMailMessage } from '../providers/mail-provider';
import { utf8HeaderBytes } from './utf8-header-bytes';

/** Longest `text` or `html` body handed over, in UTF-16 code units (512 KiB). */
export const MAX_BODY_CHARS = 512 * 1024;

function flatten(list: EmailAddress[], out: { name: string; address: string }[]): void {
  for (const entry of list) {
    if (entry.group) flatten(entry.group, out);
    else if (entry.address) out.push({ name: entry.name ?? '', address: entry.address });
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): { name: string; address: string }[] {
  const out: { name: string; address: string }[] = [];
  for (const object of field === undefined ? [] : Array.isArray(field) ? field : [field]) flatten(object.value, out);
  return out;
}

function cut(body: string | false | undefined): { value: string | null; truncated: boolean } {
  if (typeof body !== 'string') return { value: null, truncated: false };
  return body.length > MAX_BODY_CHARS ? { value: body.slice(0, MAX_BODY_CHARS), truncated: true } : { value: body, truncated: false };
}

/**
 * The Date header as ISO-8601, or null when missing or unreadable. mailparser replaces an
 * unreadable Date with the time of parsing, which would pass a 2007 message off as new, so the
 * header line is read again here.
 */
function headerDate(lines: ReadonlyArray<{ key: string; line: string }>): string | null {
  const line = lines.find((l) => l.key === 'date');
  if (!line) return null;
  const value = line.line.slice(line.line.indexOf(':') + 1).replace(/\s+/g, ' ').trim();
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Parses a downloaded message with mailparser (a full RFC 5322 / MIME parser: encodings,
 * charsets, nested multiparts, RFC 2231 file names) into the shape the app receives.
 * Attachment contents are dropped; names, types and decoded sizes are kept. Raw 8-bit header
 * bytes that are not UTF-8 are first read in the message's declared charset, else windows-1252
 * (see utf8HeaderBytes); `sizeBytes` is the size of the message as downloaded.
 */
export async function parseMessage(message: RawMailMessage): Promise<SyncedEmailMessage> {
  const parsed = await simpleParser(await utf8HeaderBytes(message.raw), { skipTextToHtml: true, skipImageLinks: true, keepCidLinks: true });
  const text = cut(parsed.text);
  const html = cut(parsed.html);
  const references = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : [parsed.references];
  const date = headerDate(parsed.headerLines);
  return {
    id: message.id,
    threadId: message.threadId,
    version: message.version,
    internetMessageId: parsed.messageId ?? null,
    from: addresses(parsed.from),
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    replyTo: addresses(parsed.replyTo),
    subject: parsed.subject ?? null,
    date,
    receivedAt: message.receivedAt.toISOString(),
    text: text.value,
    html: html.value,
    bodyTruncated: text.truncated || html.truncated,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? null,
      contentType: a.contentType,
      size: a.size,
      inline: a.contentDisposition === 'inline' || a.related === true,
    })),
    inReplyTo: parsed.inReplyTo ?? null,
    references,
    labels: [...message.labels],
    sizeBytes: message.raw.length,
  };
}
