import { firstHeader, parseParameterizedHeader, readHeaderBlock, type MailHeader } from './fake-gmail-headers';
import { decodeTransferEncoding } from '../shared/mime-decoding';

/** One node of a message's MIME structure, numbered as Gmail numbers `payload` parts. */
export interface MimeNode {
  /** `''` for the message itself, then `0`, `1`, ... and `0.1` for nested parts, as Gmail does. */
  readonly partId: string;
  /** The node's own header fields, as written. */
  readonly headers: readonly MailHeader[];
  /** Lower-cased `type/subtype`; `text/plain` when absent. */
  readonly mimeType: string;
  /** The `charset` parameter, if any. */
  readonly charset: string | undefined;
  /** Content-Disposition `filename` or Content-Type `name`, `''` when none. */
  readonly filename: string;
  /** True for `Content-Disposition: attachment` or a part with a file name. */
  readonly isAttachment: boolean;
  /** Transfer-decoded content bytes; empty for a multipart node. */
  readonly body: Buffer;
  /** Children of a multipart node, else empty. */
  readonly parts: readonly MimeNode[];
}

/** Deeper nesting than this is read as a leaf, so a hostile message cannot exhaust the stack. */
const MAX_DEPTH = 32;

const isDelimiterEnd = (byte: number | undefined): boolean =>
  byte === undefined || byte === 0x0d || byte === 0x0a || byte === 0x20 || byte === 0x09;

/** Splits a multipart body at `--boundary` lines (RFC 2046 §5.1.1); the line end before a delimiter belongs to it. */
function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  const parts: Buffer[] = [];
  let partStart = -1;
  let from = 0;
  for (;;) {
    const at = body.indexOf(delimiter, from);
    if (at === -1) break;
    const after = at + delimiter.length;
    const closing = body[after] === 0x2d && body[after + 1] === 0x2d;
    if ((at > 0 && body[at - 1] !== 0x0a) || (!closing && !isDelimiterEnd(body[after]))) {
      from = after;
      continue;
    }
    if (partStart >= 0) {
      let end = at;
      if (end > partStart && body[end - 1] === 0x0a) end--;
      if (end > partStart && body[end - 1] === 0x0d) end--;
      parts.push(body.subarray(partStart, end));
    }
    if (closing) return parts;
    const newline = body.indexOf(0x0a, after);
    if (newline === -1) return parts;
    partStart = newline + 1;
    from = partStart;
  }
  // No closing delimiter: what follows the last one is still a part.
  if (partStart >= 0) parts.push(body.subarray(partStart));
  return parts;
}

function parseNode(raw: Buffer, partId: string, depth: number): MimeNode {
  const { headers, bodyOffset } = readHeaderBlock(raw);
  const contentType = parseParameterizedHeader(firstHeader(headers, 'Content-Type') ?? 'text/plain');
  const disposition = parseParameterizedHeader(firstHeader(headers, 'Content-Disposition') ?? '');
  const mimeType = contentType.value.includes('/') ? contentType.value : 'text/plain';
  const filename = disposition.params.get('filename') ?? contentType.params.get('name') ?? '';
  const rawBody = raw.subarray(bodyOffset);
  const boundary = contentType.params.get('boundary');
  if (mimeType.startsWith('multipart/') && boundary && depth < MAX_DEPTH) {
    const prefix = partId === '' ? '' : `${partId}.`;
    const children = splitMultipart(rawBody, boundary).map((part, i) => parseNode(part, `${prefix}${i}`, depth + 1));
    if (children.length > 0) {
      return { partId, headers, mimeType, charset: undefined, filename, isAttachment: false, body: Buffer.alloc(0), parts: children };
    }
  }
  return {
    partId,
    headers,
    mimeType: mimeType.startsWith('multipart/') ? 'text/plain' : mimeType,
    charset: contentType.params.get('charset'),
    filename,
    isAttachment: disposition.value === 'attachment' || filename !== '',
    body: decodeTransferEncoding(rawBody, firstHeader(headers, 'Content-Transfer-Encoding')),
    parts: [],
  };
}

const trees = new WeakMap<Buffer, MimeNode>();

/**
 * The MIME structure of the RFC 5322 message `raw`. Cached per Buffer object, so a benchmark that
 * stores one Buffer many times parses it once; a multipart node whose boundary never occurs is
 * read as a text/plain leaf.
 */
export function parseMimeTree(raw: Buffer): MimeNode {
  let tree = trees.get(raw);
  if (!tree) {
    tree = parseNode(raw, '', 0);
    trees.set(raw, tree);
  }
  return tree;
}

/** The node with `partId` under `root`, or `undefined`. */
export function findMimePart(root: MimeNode, partId: string): MimeNode | undefined {
  if (root.partId === partId) return root;
  for (const part of root.parts) {
    const found = findMimePart(part, partId);
    if (found) return found;
  }
  return undefined;
}
