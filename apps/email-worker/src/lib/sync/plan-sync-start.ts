import type { SyncStart } from '../providers/mail-provider';
import type { SyncCheckpoint, SyncState } from './sync-state-store';

/** What {@link planSyncStart} needs besides the state. */
export interface SyncStartOptions {
  /** The job's `syncSince`, when it gave one. */
  readonly syncSince?: Date;
  /** First-sync look-back when the job gives no `syncSince` (ms). */
  readonly lookbackMs: number;
  /** A resync after an expired cursor starts this long before the last sync started (ms). */
  readonly resyncOverlapMs: number;
  /** Now (ms since the epoch). */
  readonly nowMs: number;
}

/** Where a sync starts, what kind of sync that is, and where it restarts if the cursor expired. */
export interface SyncStartPlan {
  readonly start: SyncStart;
  readonly fullSync: boolean;
  readonly resyncReason: SyncCheckpoint['resyncReason'];
  /** The full listing that replaces the cursor when the provider no longer knows it. */
  readonly resync: Extract<SyncStart, { kind: 'full' }>;
}

/**
 * Sync step: where to start from the mailbox's saved state — an interrupted sync's checkpoint
 * (resumed as the kind of sync it was), else the saved cursor (incremental), else a full listing
 * from `syncSince` (or `lookbackMs` ago). The resync after an expired cursor lists from
 * `resyncOverlapMs` before the last completed sync began (the first sync's date when there was
 * none), carrying the expired cursor so the provider can keep its date filter.
 */
export function planSyncStart(state: SyncState, options: SyncStartOptions): SyncStartPlan {
  const firstSince = options.syncSince ?? new Date(options.nowMs - options.lookbackMs);
  const resync: SyncStartPlan['resync'] = {
    kind: 'full',
    since: state.lastSyncStartedAt ? new Date(state.lastSyncStartedAt.getTime() - options.resyncOverlapMs) : firstSince,
    expiredCursor: state.cursor ?? undefined,
  };
  if (state.checkpoint) {
    return { start: { kind: 'resume', checkpoint: state.checkpoint.token }, fullSync: state.checkpoint.fullSync, resyncReason: state.checkpoint.resyncReason, resync };
  }
  if (state.cursor) return { start: { kind: 'incremental', cursor: state.cursor }, fullSync: false, resyncReason: null, resync };
  return { start: { kind: 'full', since: firstSince }, fullSync: true, resyncReason: null, resync };
}
