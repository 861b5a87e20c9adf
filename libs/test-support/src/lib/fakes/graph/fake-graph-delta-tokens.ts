import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a `$skiptoken` or `$deltatoken` stands for. */
export interface FakeGraphDeltaState {
  /** Mailbox key (lower-case UPN) the token was issued to. */
  readonly mailbox: string;
  readonly folderId: string;
  /** Index into the folder's change log to continue from. */
  readonly cursor: number;
  /** Still in a first round (removals are left out). */
  readonly initial: boolean;
  /** The `$select` of the round's first request (Graph keeps it in the token). */
  readonly select: readonly string[] | undefined;
  /** The `$filter=receivedDateTime ge|gt <t>` of the first request: operator and ISO time. */
  readonly received?: { readonly operator: 'ge' | 'gt'; readonly dateTime: string };
  /** The mailbox's `deltaGeneration` at issue; a later generation makes the token expired. */
  readonly generation: number;
}

/**
 * Encodes delta state into opaque, tamper-proof tokens (`base64url(json).base64url(hmac)`), so
 * the server keeps nothing per token and a token is O(1) to resume from. Anything that does not
 * verify decodes to `undefined` (→ 410 SyncStateNotFound).
 */
export class FakeGraphDeltaTokens {
  private readonly key = randomBytes(32);

  encode(state: FakeGraphDeltaState): string {
    const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${payload}.${this.mac(payload).toString('base64url')}`;
  }

  decode(token: string): FakeGraphDeltaState | undefined {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) return undefined;
    const expected = this.mac(payload);
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as FakeGraphDeltaState;
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest().subarray(0, 16);
  }
}
