import type { CallRecordStore } from '../lib/call-record-store';
import type { CallingWindow } from '../lib/calling-window';
import type { VapiCalls } from '../lib/vapi-calls';

/** What the `VOICE_CALL` steps work with; built once in `create-voice-app.ts`. */
export interface VoiceCallDeps {
  readonly vapi: VapiCalls;
  readonly records: CallRecordStore;
  /** Vapi phone number the calls go out from. */
  readonly phoneNumberId: string;
  readonly callingWindow: CallingWindow;
  /** Zone used when a number's prefix has none (non-geographic numbers). */
  readonly defaultTimeZone: string;
  /** How often a call in progress is checked when no webhook comes first (ms). */
  readonly pollIntervalMs: number;
  /** Life of the per-call placing lock while unextended (ms): a dead worker frees it within this. */
  readonly placingLockTtlMs: number;
  /** A call still not ended this long after it was created is given up (ms). */
  readonly maxCallDurationMs: number;
  /** Where Vapi should send this worker's server messages, when the receiver is enabled. */
  readonly webhook: { url: string; secret: string } | null;
  /** Clock, ms since the epoch; `Date.now` by default. */
  readonly now?: () => number;
}
