import { firstHeader, readHeaderBlock } from './fake-gmail-headers';
import { decodeEncodedWords } from '../shared/mime-decoding';

/** What threading needs from a message's headers. */
export interface ThreadingHeaders {
  /** `Message-ID` as written, e.g. `<abc@example.com>`; `undefined` when absent. */
  readonly messageId: string | undefined;
  /** Ids named by `In-Reply-To`, then by `References` (newest first), duplicates removed. */
  readonly referencedIds: readonly string[];
  /** The subject as compared for threading: see {@link threadSubjectKey}. */
  readonly subjectKey: string;
  /** The `Date` header in ms since the epoch, or `undefined` when absent or unreadable. */
  readonly dateMs: number | undefined;
}

const messageIds = (value: string | undefined): string[] => {
  if (!value) return [];
  const bracketed = value.match(/<[^<>]*>/g);
  if (bracketed) return bracketed;
  const bare = value.trim();
  return bare ? [bare] : [];
};

/**
 * A subject reduced for comparison: encoded words decoded, leading `Re:` prefixes (any case)
 * removed, white space collapsed. Gmail's drafts guide asks that "the Subject headers must match"
 * for a draft to join a thread; replies add `Re:`.
 */
export function threadSubjectKey(subject: string): string {
  return decodeEncodedWords(subject)
    .replace(/^(\s*re\s*:)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const cache = new WeakMap<Buffer, ThreadingHeaders>();

/**
 * Reads Message-ID, In-Reply-To, References, Subject and Date from the header section of `raw`.
 * Cached per Buffer object, so a Buffer stored many times is read once.
 */
export function readThreadingHeaders(raw: Buffer): ThreadingHeaders {
  let found = cache.get(raw);
  if (!found) {
    const { headers } = readHeaderBlock(raw);
    const references = messageIds(firstHeader(headers, 'References')).reverse();
    const date = Date.parse(firstHeader(headers, 'Date') ?? '');
    found = {
      messageId: messageIds(firstHeader(headers, 'Message-ID'))[0],
      referencedIds: [...new Set([...messageIds(firstHeader(headers, 'In-Reply-To')), ...references])],
      subjectKey: threadSubjectKey(firstHeader(headers, 'Subject') ?? ''),
      dateMs: Number.isFinite(date) ? date : undefined,
    };
    cache.set(raw, found);
  }
  return found;
}
