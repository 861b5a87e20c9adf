import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** A response body read up to a size limit. */
export interface CappedBody {
  /** The decoded bytes read, at most `maxBytes` of them. */
  readonly body: Buffer;
  /** True when the body was longer than `maxBytes` and the rest was not read. */
  readonly truncated: boolean;
}

/**
 * Reads a response body, undoing its `Content-Encoding` (`gzip`, `x-gzip`, `deflate`, `br`;
 * none or `identity` as is), and stops after `maxBytes` decoded bytes: the stream is destroyed,
 * so neither a huge page nor a compression bomb is held in memory.
 *
 * @param stream - the raw body stream; it is consumed or destroyed either way.
 * @param contentEncoding - the `Content-Encoding` header, or undefined.
 * @param maxBytes - most decoded bytes to keep, >= 0.
 * @throws Error for an unsupported content encoding, a corrupt compressed stream, or whatever
 *   the stream fails with (timeouts and aborts included).
 */
export async function readCappedBody(
  stream: Readable,
  contentEncoding: string | undefined,
  maxBytes: number,
): Promise<CappedBody> {
  const decoded = decode(stream, contentEncoding);
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of decoded) {
      const buffer = chunk as Buffer;
      if (size + buffer.length > maxBytes) {
        chunks.push(buffer.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(buffer);
      size += buffer.length;
    }
  } finally {
    // Breaking out of the loop destroys `decoded`; the raw stream must go too, or the
    // connection stays busy with bytes nobody will read.
    if (!stream.destroyed) stream.destroy();
  }
  return { body: Buffer.concat(chunks, size), truncated };
}

function decode(stream: Readable, contentEncoding: string | undefined): Readable {
  const encodings = (contentEncoding ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity');
  let current = stream;
  // Codings are listed in the order applied, so they are undone last first.
  for (const encoding of encodings.reverse()) {
    const decoder =
      encoding === 'gzip' || encoding === 'x-gzip'
        ? createGunzip()
        : encoding === 'deflate'
          ? createInflate()
          : encoding === 'br'
            ? createBrotliDecompress()
            : null;
    if (!decoder) {
      stream.destroy();
      throw new Error(`unsupported content-encoding: ${encoding}`);
    }
    current = pipeline(current, decoder, () => {
      // Errors surface through the decoder's async iterator; nothing to do here.
    });
  }
  return current;
}
