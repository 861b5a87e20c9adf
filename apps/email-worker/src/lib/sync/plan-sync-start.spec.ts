import { planSyncStart } from './plan-sync-start';

const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const options = { lookbackMs: 86_400_000, resyncOverlapMs: 3_600_000, nowMs: NOW };
const empty = { cursor: null, checkpoint: null, lastSyncStartedAt: null };

describe('planSyncStart', () => {
  it('a first sync lists from syncSince, else from the look-back; its resync is the same listing', () => {
    const since = new Date('2026-01-01T00:00:00.000Z');
    expect(planSyncStart(empty, { ...options, syncSince: since })).toEqual({
      start: { kind: 'full', since },
      fullSync: true,
      resyncReason: null,
      resync: { kind: 'full', since, expiredCursor: undefined },
    });
    expect(planSyncStart(empty, options).start).toEqual({ kind: 'full', since: new Date(NOW - 86_400_000) });
  });

  it('a saved cursor is an incremental sync; its resync lists from the overlap before the last sync began, carrying the cursor', () => {
    const last = new Date('2026-05-31T12:00:00.000Z');
    const plan = planSyncStart({ cursor: 'c-1', checkpoint: null, lastSyncStartedAt: last }, options);
    expect(plan).toMatchObject({ start: { kind: 'incremental', cursor: 'c-1' }, fullSync: false, resyncReason: null });
    expect(plan.resync).toEqual({ kind: 'full', since: new Date(last.getTime() - 3_600_000), expiredCursor: 'c-1' });
  });

  it('an interrupted sync resumes from its checkpoint as the kind of sync it was', () => {
    const checkpoint = { token: 't', fullSync: true, resyncReason: 'cursor-expired' as const, startedAt: '2026-05-31T00:00:00.000Z' };
    expect(planSyncStart({ cursor: 'c-1', checkpoint, lastSyncStartedAt: null }, options)).toMatchObject({
      start: { kind: 'resume', checkpoint: 't' },
      fullSync: true,
      resyncReason: 'cursor-expired',
    });
  });
});
