import { encodeWords } from 'nodemailer/lib/mime-funcs';
import type { FakeGraphItemBody, FakeGraphRecipient } from './fake-graph-message';

/** What the fake puts in a draft's MIME. */
export interface FakeGraphDraftMimeFields {
  readonly from: FakeGraphRecipient;
  readonly toRecipients: readonly FakeGraphRecipient[];
  readonly ccRecipients: readonly FakeGraphRecipient[];
  readonly subject: string;
  /** With angle brackets. */
  readonly messageId: string;
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  readonly date: Date;
  readonly body: FakeGraphItemBody;
}

/**
 * Writes a single-part RFC 822 message for a draft (CRLF line ends, UTF-8 body in base64,
 * non-ASCII header text as RFC 2047 words), the shape `$value` returns for a draft the fake made.
 */
export function buildDraftMime(fields: FakeGraphDraftMimeFields): Buffer {
  const lines = [
    `From: ${formatAddress(fields.from)}`,
    ...(fields.toRecipients.length ? [`To: ${fields.toRecipients.map(formatAddress).join(', ')}`] : []),
    ...(fields.ccRecipients.length ? [`Cc: ${fields.ccRecipients.map(formatAddress).join(', ')}`] : []),
    `Subject: ${encodeWords(fields.subject, 'B', 52)}`,
    `Date: ${fields.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${fields.messageId}`,
    ...(fields.inReplyTo.length ? [`In-Reply-To: ${fields.inReplyTo.join(' ')}`] : []),
    ...(fields.references.length ? [`References: ${fields.references.join('\r\n ')}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: ${fields.body.contentType === 'html' ? 'text/html' : 'text/plain'}; charset=utf-8`,
    'Content-Transfer-Encoding: base64',
    '',
    ...(Buffer.from(fields.body.content, 'utf8').toString('base64').match(/.{1,76}/g) ?? []),
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

function formatAddress({ emailAddress: { name, address } }: FakeGraphRecipient): string {
  if (!name || name === address) return `<${address}>`;
  const encoded = encodeWords(name, 'B', 52);
  const display = encoded !== name ? encoded : `"${name.replace(/["\\]/g, '\\$&')}"`;
  return `${display} <${address}>`;
}
