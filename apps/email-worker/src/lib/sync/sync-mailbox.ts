import type { JobResult } from '@jobs/queue-contracts';
import { mailboxKey, type MailboxRef } from '../mailbox-ref';
import { CursorExpiredError } from '../providers/cursor-expired-error';
import { UnreadableSyncTokenError } from '../providers/unreadable-sync-token-error';
import { StateRecordCorruptError } from '../state/state-record-corrupt-error';
import type { MailProvider } from '../providers/mail-provider';
import type { MessageSink } from '../sinks/message-sink';
import { planSyncStart } from './plan-sync-start';
import type { SyncStateStore } from './sync-state-store';
import { toPageEvents } from './to-page-events';

type EmailSyncResult = JobResult<'EMAIL_SYNC'>;

/** Progress stored on the job after every page. */
export interface SyncProgress {
  readonly pages: number;
  readonly fetched: number;
  readonly new: number;
  readonly changed: number;
  readonly deleted: number;
  readonly repeatsSkipped: number;
  readonly fullSync: boolean;
}

/** What {@link syncMailbox} works with. */
export interface SyncMailboxDeps {
  readonly provider: MailProvider;
  readonly sink: MessageSink;
  readonly state: SyncStateStore;
  /** First-sync look-back when the job gives no `syncSince` (ms). */
  readonly lookbackMs: number;
  /** A resync after an expired cursor starts this long before the last sync started (ms). */
  readonly resyncOverlapMs: number;
}

/** One sync run's input. */
export interface SyncMailboxInput {
  readonly mailbox: MailboxRef;
  readonly syncSince?: Date;
  readonly signal: AbortSignal;
  readonly onProgress: (progress: SyncProgress) => Promise<void>;
}

/**
 * Syncs one mailbox: reads its changes page by page from `provider`, hands each page's events
 * to `sink`, and only then records a checkpoint; the new cursor is saved once the last page has
 * been handed over. So a crash anywhere re-reads at most one page (whose events the sink drops
 * as repeats) and never skips one.
 *
 * Where it starts: an interrupted sync's checkpoint, else the saved cursor, else a full listing
 * from `syncSince` (or `lookbackMs` ago). When the provider no longer knows the cursor
 * (CursorExpiredError) it lists the mailbox from `resyncOverlapMs` before the last sync began;
 * messages handed over already are dropped as repeats, so nothing is lost or doubled.
 *
 * @throws StateRecordCorruptError when the saved state, or a provider token in it, is unreadable
 *   (nothing is fetched or handed over); whatever the provider or sink throws (see their error
 *   classes), state kept.
 */
export async function syncMailbox(deps: SyncMailboxDeps, input: SyncMailboxInput): Promise<EmailSyncResult> {
  const { mailbox, signal } = input;
  const started = Date.now();
  const startedAt = new Date(started);
  const state = await deps.state.load(mailbox);
  // A resumed sync began when the interrupted run did: that is what a later resync overlaps.
  const syncStartedAt = state.checkpoint?.startedAt ?? startedAt.toISOString();
  const totals = { pages: 0, fetched: 0, new: 0, changed: 0, deleted: 0, repeatsSkipped: 0 };

  const plan = planSyncStart(state, { syncSince: input.syncSince, lookbackMs: deps.lookbackMs, resyncOverlapMs: deps.resyncOverlapMs, nowMs: started });
  let { start, fullSync, resyncReason } = plan;
  const prefix = mailboxKey(mailbox);
  const options = {
    alreadyHandedOver: (messages: readonly { id: string; version: string }[]) =>
      deps.sink.alreadyDelivered(mailbox, messages.map((m) => `${prefix}:${m.id}:${m.version}`)),
  };

  let cursor: string | null = null;
  for (let round = 0; cursor === null; round += 1) {
    try {
      for await (const page of deps.provider.sync(mailbox, start, signal, options)) {
        const events = await toPageEvents(mailbox, page);
        const outcome = await deps.sink.deliver(mailbox, events, signal);
        if (page.checkpoint !== null || page.cursor !== null) totals.pages += 1;
        totals.fetched += page.fetched;
        totals.repeatsSkipped += page.skippedKnown;
        events.forEach((event, i) => {
          if (!outcome.delivered[i]) totals.repeatsSkipped += 1;
          else if (event.type === 'deleted') totals.deleted += 1;
          else if (event.type === 'message') totals[event.change] += 1;
        });
        fullSync = page.fullSync;
        if (page.cursor !== null) {
          cursor = page.cursor;
        } else if (page.checkpoint !== null) {
          await deps.state.saveCheckpoint(mailbox, { token: page.checkpoint, fullSync, resyncReason, startedAt: syncStartedAt });
        }
        await input.onProgress({ ...totals, fullSync });
      }
    } catch (err) {
      // Only the store knows which key the provider's unreadable token came from.
      if (err instanceof UnreadableSyncTokenError) {
        throw new StateRecordCorruptError(deps.state.keyOf(mailbox), `${err.which}: ${err.problem}`, deps.state.remedyFor(mailbox), { cause: err });
      }
      if (!(err instanceof CursorExpiredError) || round > 0) throw err;
      // The provider forgot the cursor (or the interrupted sync's page token): list from a date.
      await deps.state.clearCheckpoint(mailbox);
      const resync = plan.resync;
      start = resync;
      resyncReason = state.cursor ? 'cursor-expired' : null;
      fullSync = true;
      if (resyncReason) {
        // Tell the app first: changes made while the cursor was lost may be missing.
        await deps.sink.deliver(
          mailbox,
          [
            {
              type: 'resync',
              reason: resyncReason,
              since: resync.since.toISOString(),
              eventId: `${prefix}:resync:${syncStartedAt}`,
              userId: mailbox.userId,
              accountId: mailbox.accountId,
              provider: mailbox.provider,
            },
          ],
          signal,
        );
      }
      continue;
    }
    if (cursor === null) throw new Error(`The ${mailbox.provider} sync of ${mailbox.accountId} ended without a cursor`);
  }

  await deps.state.complete(mailbox, cursor, new Date(syncStartedAt));
  return { ...totals, cursor, fullSync, resyncReason, durationMs: Date.now() - started };
}
