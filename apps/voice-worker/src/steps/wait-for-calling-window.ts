import { WaitError, PermanentJobError } from '@jobs/worker-kit';
import { msUntilCallingWindow } from '../lib/calling-window';
import type { NormalisedNumber } from '../lib/normalise-phone-number';
import type { VoiceCallDeps } from './voice-call-deps';

/**
 * Step of placing: lets the call ring only inside the calling window in the callee's zones
 * (those of the number's prefix, else `defaultTimeZone`). Zones too far apart to share the
 * window (toll-free and other non-geographic numbers map to dozens) go by `defaultTimeZone`.
 * Resolves when the window is open now.
 * @throws WaitError until the window opens (no attempt used), after storing
 *   `{ step: 'waiting-for-calling-hours', until }` as the job's progress.
 * @throws PermanentJobError when `VOICE_CALLING_DAYS` allows no day.
 */
export async function waitForCallingWindow(
  deps: Pick<VoiceCallDeps, 'callingWindow' | 'defaultTimeZone'>,
  number: NormalisedNumber,
  now: number,
  updateProgress: (progress: object) => Promise<void>,
): Promise<void> {
  let zones = number.timeZones.length > 0 ? number.timeZones : [deps.defaultTimeZone];
  let waitMs = msUntilCallingWindow(now, zones, deps.callingWindow);
  if (waitMs === null) {
    zones = [deps.defaultTimeZone];
    waitMs = msUntilCallingWindow(now, zones, deps.callingWindow);
    if (waitMs === null) throw new PermanentJobError('VOICE_CALLING_DAYS allows no day: no call can be placed');
  }
  if (waitMs > 0) {
    await updateProgress({ step: 'waiting-for-calling-hours', until: new Date(now + waitMs).toISOString() });
    throw new WaitError(waitMs, `outside calling hours in ${zones.join(', ')}`);
  }
}
