import { postFakeVapiWebhook } from './fake-vapi-webhook-post';
import type { FakeVapiServerMessage } from './fake-vapi-server-messages';
import type { FakeVapiWebhookTarget } from './fake-vapi-webhook-target';

/** One attempt to deliver a server message. */
export interface FakeVapiWebhookDelivery {
  /** `status-update` or `end-of-call-report`. */
  readonly type: string;
  /** The Vapi call id the message is about. */
  readonly callId: string;
  /** For a `status-update`, the status it announced. */
  readonly callStatus?: string;
  readonly url: string;
  /** The receiver's HTTP status; 0 when there was no answer (refused, timed out, cut off). */
  readonly status: number;
  /** Why there was no answer. */
  readonly error?: string;
  /** When the attempt started, ms since the epoch. */
  readonly at: number;
}

/**
 * Delivers server messages one at a time, in the order they were queued, so a receiver sees a
 * call's status updates in order and the end-of-call report last. One attempt each (Vapi sends
 * the end-of-call report once and does not retry; docs.vapi.ai "End-of-call report"), waiting up
 * to `timeoutMs` (default 20 000, Vapi's default server timeout). Failures are recorded in
 * {@link deliveries}, never thrown.
 */
export class FakeVapiWebhookSender {
  /** Every attempt, in order. */
  readonly deliveries: FakeVapiWebhookDelivery[] = [];
  #chain: Promise<void> = Promise.resolve();
  readonly #closing = new AbortController();

  constructor(private readonly timeoutMs = 20_000) {}

  /** Queues `message` for `target`; resolves once it has been delivered or has failed. Never rejects. */
  send(target: FakeVapiWebhookTarget, callId: string, message: FakeVapiServerMessage): Promise<void> {
    const next = this.#chain.then(() => this.#deliver(target, callId, message));
    this.#chain = next;
    return next;
  }

  /** Aborts the delivery in flight and drops those queued; resolves when the queue is empty. */
  close(): Promise<void> {
    this.#closing.abort();
    return this.#chain;
  }

  async #deliver(target: FakeVapiWebhookTarget, callId: string, body: FakeVapiServerMessage): Promise<void> {
    if (this.#closing.signal.aborted) return;
    const { type } = body.message;
    const callStatus = body.message.type === 'status-update' ? { callStatus: body.message.status } : {};
    const at = Date.now();
    try {
      const status = await postFakeVapiWebhook(target.url, body, target.headers, { timeoutMs: this.timeoutMs, signal: this.#closing.signal });
      this.deliveries.push({ type, callId, ...callStatus, url: target.url, status, at });
    } catch (err) {
      // Cut off by close(): the test is over, nothing to record.
      if (this.#closing.signal.aborted) return;
      this.deliveries.push({ type, callId, ...callStatus, url: target.url, status: 0, error: err instanceof Error ? err.message : String(err), at });
    }
  }
}
