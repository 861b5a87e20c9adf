import type { JsonValue } from '@jobs/queue-contracts';
import { snapToBusinessHours } from '../lib/business-hours';
import type { StepKind, StepOfKind, StepResult } from '../engine/step-kind';

/** The time a wait step waits for, kept as its state while it waits. */
interface WaitState {
  until: number;
}

function stateOf(state: JsonValue | undefined): WaitState | undefined {
  if (state && typeof state === 'object' && !Array.isArray(state) && typeof state['until'] === 'number') return { until: state['until'] };
  return undefined;
}

function waited(until: number): StepResult {
  return { type: 'completed', output: { until: new Date(until).toISOString() } };
}

/**
 * `wait`: waits `durationMs` from when the step starts, or `until` (an expression giving an
 * ISO 8601 time); with `businessHours` the time is moved to the next moment inside them
 * (`snapToBusinessHours`). The run's job is suspended (delayed) meanwhile, holding no slot; on an
 * early resume (a promote) it suspends again for what is left. A time already past completes at
 * once. Output `{ until }` (ISO 8601).
 */
export const waitStep: StepKind<StepOfKind<'wait'>> = {
  kind: 'wait',
  async run({ step, state, evaluate, now }) {
    let until = stateOf(state)?.until;
    if (until === undefined) {
      if (step.durationMs !== undefined) {
        until = now + step.durationMs;
      } else {
        const value = await evaluate(step.until as string, 'until');
        const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
        if (Number.isNaN(parsed)) {
          return { type: 'failed', error: `step "${step.id}" until: ${JSON.stringify(value)} is not an ISO 8601 time`, retryable: false };
        }
        until = parsed;
      }
      if (step.businessHours) until = snapToBusinessHours(until, step.businessHours);
    }
    if (until <= now) return waited(until);
    return { type: 'suspend', waitFor: 'time', until, state: { until } };
  },
};
