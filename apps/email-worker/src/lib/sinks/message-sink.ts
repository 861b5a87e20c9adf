import type { MailboxEvent } from '@jobs/queue-contracts';
import type { MailboxRef } from '../mailbox-ref';

/** What one hand-over did. */
export interface DeliveryOutcome {
  /**
   * Per event, in order: true when handed to the app now, false when skipped because an
   * earlier run had already handed it over (same `eventId`).
   */
  readonly delivered: readonly boolean[];
}

/**
 * Hands sync events to the app (DESIGN.md: results leave through a seam, not the job's return
 * value). When `deliver` resolves the events are durably with the receiver; the sync saves its
 * cursor only after that, so a crash re-delivers rather than skips.
 */
export interface MessageSink {
  /**
   * @throws SinkBackpressureError when the receiver is too far behind to take more now.
   */
  deliver(mailbox: MailboxRef, events: readonly MailboxEvent[], signal: AbortSignal): Promise<DeliveryOutcome>;
  /**
   * Per event id of `mailbox`, in order: true when it was handed over before (within the repeat
   * window). The mailbox says where the markers are (the Redis Stream sink keeps them per stream).
   */
  alreadyDelivered(mailbox: MailboxRef, eventIds: readonly string[]): Promise<boolean[]>;
}
