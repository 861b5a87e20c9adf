import { isUtf8 } from 'node:buffer';
import { Splitter, type SplitterChunk } from '@zone-eu/mailsplit';
import iconv from 'iconv-lite';
import { headerCharset } from './header-charset';

const LF = 0x0a;

/** The header block's lines that are not UTF-8, decoded in `charset` and written as UTF-8. */
function transcodeHeaderBlock(block: Buffer, charset: string): Buffer {
  const lines: Buffer[] = [];
  for (let start = 0; start < block.length; ) {
    const lf = block.indexOf(LF, start);
    const end = lf === -1 ? block.length : lf + 1;
    const line = block.subarray(start, end);
    // Line by line, not the whole block: a message may mix a UTF-8 From with a Latin-1 Subject.
    // Folding happens only at white space, so no UTF-8 sequence straddles two lines.
    lines.push(isUtf8(line) ? line : Buffer.from(iconv.decode(line, charset), 'utf8'));
    start = end;
  }
  return Buffer.concat(lines);
}

/** Every MIME node and content chunk of `raw`, in order, as mailparser's own splitter sees them. */
async function split(raw: Buffer): Promise<SplitterChunk[]> {
  const splitter = new Splitter();
  splitter.end(raw);
  const chunks: SplitterChunk[] = [];
  // The async iterator rejects with the splitter's error (a malformed or oversized message).
  for await (const chunk of splitter as AsyncIterable<SplitterChunk>) chunks.push(chunk);
  return chunks;
}

/**
 * `raw` with the raw 8-bit bytes of its header blocks (the message's and every MIME part's)
 * turned into UTF-8, so that mailparser — which reads header bytes outside RFC 2047
 * encoded-words as UTF-8 — shows `Formação` instead of `Forma��o`.
 *
 * Per header line: bytes that are valid UTF-8 stay as they are; others are read in the charset
 * the message declares — the part's own `Content-Type` charset, else the first text part's
 * (else the first declared anywhere) — and when none is usable in windows-1252 (see
 * {@link headerCharset}). RFC 6532 allows UTF-8 in headers; any other 8-bit header is outside
 * RFC 5322, and the declared body charset is the best evidence of what the sender's mailer used.
 *
 * Bodies are never touched (mailparser decodes those by their own charset), and a message whose
 * bytes are all valid UTF-8, or that needs no change, or that the splitter refuses, is returned
 * as the same Buffer. The structure comes from `@zone-eu/mailsplit`, the splitter mailparser
 * itself uses, so header blocks are found exactly where mailparser will look for them.
 */
export async function utf8HeaderBytes(raw: Buffer): Promise<Buffer> {
  if (isUtf8(raw)) return raw;
  let chunks: SplitterChunk[];
  try {
    chunks = await split(raw);
  } catch {
    // mailparser meets the same refusal and reports it; this pre-pass has nothing to add.
    return raw;
  }
  const nodes = chunks.flatMap((c) => (c.type === 'node' ? [c] : []));
  const declared =
    nodes.find((n) => n.charset && n.contentType && n.contentType.startsWith('text/'))?.charset || nodes.find((n) => n.charset)?.charset || null;
  let changed = false;
  const out = chunks.map((chunk) => {
    if (chunk.type !== 'node') return chunk.value;
    const block = chunk.getHeaders();
    if (isUtf8(block)) return block;
    changed = true;
    return transcodeHeaderBlock(block, headerCharset(chunk.charset || declared));
  });
  return changed ? Buffer.concat(out) : raw;
}
