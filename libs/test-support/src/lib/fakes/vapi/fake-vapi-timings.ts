import type { FakeVapiCallStatus } from './fake-vapi-outcome';

/** Timings of the automatic call lifecycle, ms; any left out keeps its current value. */
export interface FakeVapiTimings {
  /** From `queued` to the next status (`ringing`, or `ended` for a failed call). */
  readonly queuedMs?: number;
  /** From `ringing` to `in-progress` (answered) or `ended` (busy, no answer). */
  readonly ringingMs?: number;
  /** From `in-progress` to `ended`: how long the customer talks. */
  readonly talkMs?: number;
  /** `true`: calls stay where they are until {@link FakeVapiServer.advance} moves them. */
  readonly manual?: boolean;
}

/** Every timing set. */
export type FakeVapiResolvedTimings = Required<FakeVapiTimings>;

/** Defaults: short enough for tests, long enough to see each status (50, 100 and 200 ms; automatic). */
export const FAKE_VAPI_DEFAULT_TIMINGS: FakeVapiResolvedTimings = Object.freeze({ queuedMs: 50, ringingMs: 100, talkMs: 200, manual: false });

/**
 * `current` with `patch` applied, frozen.
 * @throws RangeError when a duration is negative or not finite.
 */
export function resolveFakeVapiTimings(current: FakeVapiResolvedTimings, patch: FakeVapiTimings = {}): FakeVapiResolvedTimings {
  const resolved = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as FakeVapiResolvedTimings;
  for (const key of ['queuedMs', 'ringingMs', 'talkMs'] as const) {
    const ms = resolved[key];
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new RangeError(`${key} must be a finite number ≥ 0, got ${String(ms)}`);
  }
  return Object.freeze(resolved);
}

/** How long a call stays in `status` before moving on automatically. */
export function fakeVapiStatusDurationMs(timings: FakeVapiResolvedTimings, status: FakeVapiCallStatus): number {
  if (status === 'queued') return timings.queuedMs;
  if (status === 'ringing') return timings.ringingMs;
  return timings.talkMs;
}
