import type { IncomingMessage } from 'node:http';

/** The whole body of `req` as one buffer (empty for none); rejects if the request errors. */
export async function readRequestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
