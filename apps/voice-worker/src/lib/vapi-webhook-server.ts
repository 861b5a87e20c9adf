import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@jobs/worker-kit';
import type { CallRecordStore } from './call-record-store';
import { parseVapiServerMessage } from './parse-vapi-server-message';

/** Options of {@link startVapiWebhookServer}. */
export interface VapiWebhookServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Sent by Vapi as `X-Vapi-Secret` (set per call by the worker); anything else is refused. */
  readonly secret: string;
  readonly records: CallRecordStore;
  /** Wakes the job following a call (promotes it from delayed); resolves false when it was not waiting. */
  readonly wake: (jobId: string) => Promise<boolean>;
  readonly log: Logger;
}

/** A running receiver. */
export interface VapiWebhookServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Largest server message read (bytes); end-of-call reports carry the transcript. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

function sameSecret(given: string | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Receives Vapi's server messages (docs.vapi.ai "Server events"): `status-update` and
 * `end-of-call-report`. Each must carry `X-Vapi-Secret` equal to `secret` (compared in constant
 * time) — else 401 and nothing happens. Every body is parsed ({@link parseVapiServerMessage}):
 * one that is not JSON or has a malformed field gets 400 `{ error, field, problem }` and nothing
 * is stored or woken. An end-of-call report is kept on the call's record
 * (transcript, summary, recording, cost); any status change wakes the job following the call,
 * so it reads the outcome now instead of at its next scheduled check. Answers 200 to every
 * accepted message, also of calls it does not know (Vapi retries failures); 500 when the call's
 * record cannot be read (CallRecordCorruptError), leaving it untouched.
 */
export async function startVapiWebhookServer(options: VapiWebhookServerOptions): Promise<VapiWebhookServer> {
  const { log } = options;
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    if (!sameSecret(req.headers['x-vapi-secret'] as string | undefined, options.secret)) {
      log.warn({ remote: req.socket.remoteAddress }, 'Vapi webhook refused: missing or wrong X-Vapi-Secret');
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      void (async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        } catch {
          res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"body is not JSON"}');
          return;
        }
        const parsed = parseVapiServerMessage(body);
        if (!parsed.ok) {
          log.warn({ field: parsed.field, problem: parsed.problem }, 'Vapi webhook refused: malformed server message');
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'malformed server message', field: parsed.field, problem: parsed.problem }));
          return;
        }
        const message = parsed.message;
        if (message?.callId) {
          const { type, callId, vapiCallId, endReport } = message;
          // Read (and parse) before writing: a record this worker cannot read is left as it is
          // for someone to look at, not stamped with this worker's version.
          const record = await options.records.load(callId);
          if (endReport) await options.records.setEndReport(callId, endReport);
          const woken = record.jobId ? await options.wake(record.jobId) : false;
          log.debug({ type, callId, vapiCallId, woken }, 'Vapi server message');
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      })().catch((err: unknown) => {
        log.error({ err }, 'Vapi webhook failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
