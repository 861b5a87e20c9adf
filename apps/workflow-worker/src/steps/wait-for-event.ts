import { workflowKeys, type JsonObject, type JsonValue } from '@jobs/queue-contracts';
import type { AppRedis } from '@jobs/worker-kit';
import type { StepKind, StepOfKind } from '../engine/step-kind';

/** What `createWaitForEventStep` needs. */
export interface WaitForEventDeps {
  /** Where the runs' events hashes are. */
  readonly redis: AppRedis;
  /** The `workflow` queue's BullMQ prefix, as the engine's (`workflowKeys(prefix).events(runId)`). */
  readonly prefix: string;
}

/**
 * Reads event `name` of run `runId` (the first signal of that name, `signalWorkflowRun`).
 * @returns undefined when it was not signalled; else its payload (undefined when it had none).
 */
export async function readRunEvent(redis: AppRedis, prefix: string, runId: string, name: string): Promise<{ payload?: JsonValue } | undefined> {
  const raw = await redis.hget(workflowKeys(prefix).events(runId), name);
  if (raw === null) return undefined;
  try {
    const parsed = JSON.parse(raw) as { payload?: JsonValue };
    return parsed.payload === undefined ? {} : { payload: parsed.payload };
  } catch {
    // A value we cannot read still says the event happened.
    return {};
  }
}

/**
 * `wait_for_event`: waits until event `event` is signalled for the run or `timeoutMs` passed
 * since the step started, then goes to `onEvent` / `onTimeout` (each defaulting to the step's
 * next). An event signalled before the step started counts (events are kept per run, first
 * signal of a name wins). Output `{ received: true, payload? }` or `{ received: false }`. While it
 * waits the run's job is delayed until the timeout; `signalWorkflowRun` promotes it, and the engine
 * re-reads the events after suspending, so a signal landing in between is not lost.
 */
export function createWaitForEventStep({ redis, prefix }: WaitForEventDeps): StepKind<StepOfKind<'wait_for_event'>> {
  return {
    kind: 'wait_for_event',
    async run({ step, runId, state, now }) {
      const saved = state && typeof state === 'object' && !Array.isArray(state) ? (state as JsonObject)['until'] : undefined;
      const until = typeof saved === 'number' ? saved : now + step.timeoutMs;
      const event = await readRunEvent(redis, prefix, runId, step.event);
      if (event) {
        const output: JsonObject = { received: true };
        if (event.payload !== undefined) output['payload'] = event.payload;
        return { type: 'completed', output, ...(step.onEvent ? { next: step.onEvent } : {}) };
      }
      if (now >= until) return { type: 'completed', output: { received: false }, ...(step.onTimeout ? { next: step.onTimeout } : {}) };
      return { type: 'suspend', waitFor: 'event', until, state: { until } };
    },
  };
}
