import { setTimeout as delay } from 'node:timers/promises';

/**
 * A fake server's simulated latency: waits `ms` (0 or less: not at all), or less when `signal`
 * aborts (the server closing), never rejecting.
 */
export async function waitLatency(ms: number, signal: AbortSignal): Promise<void> {
  if (ms > 0) await delay(ms, undefined, { signal }).catch(() => undefined);
}
