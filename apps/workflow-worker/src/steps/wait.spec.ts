import type { StepOfKind, StepRunInput } from '../engine/step-kind';
import { waitStep } from './wait';

type WaitStep = StepOfKind<'wait'>;

/** Only what the wait step reads; the rest of the input is never touched by it. */
function input(step: WaitStep, now: number, state?: unknown, value?: unknown): StepRunInput<WaitStep> {
  return { step, now, state, evaluate: async () => value } as unknown as StepRunInput<WaitStep>;
}

const SATURDAY_10H = Date.parse('2026-12-05T10:00:00Z');
const MONDAY_9H = Date.parse('2026-12-07T09:00:00Z');
const OFFICE = { timeZone: 'UTC', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

describe('waitStep', () => {
  it('a duration is counted from the step start and moved into business hours (snapToBusinessHours)', async () => {
    const step: WaitStep = { id: 'w', kind: 'wait', durationMs: 1000, businessHours: OFFICE };
    expect(await waitStep.run(input(step, SATURDAY_10H))).toEqual({ type: 'suspend', waitFor: 'time', until: MONDAY_9H, state: { until: MONDAY_9H } });
  });

  it('resumed early it suspends again until the same time; resumed late it completes with that time', async () => {
    const step: WaitStep = { id: 'w', kind: 'wait', durationMs: 1000, businessHours: OFFICE };
    expect(await waitStep.run(input(step, MONDAY_9H - 5, { until: MONDAY_9H }))).toMatchObject({ type: 'suspend', until: MONDAY_9H });
    expect(await waitStep.run(input(step, MONDAY_9H + 5, { until: MONDAY_9H }))).toEqual({ type: 'completed', output: { until: '2026-12-07T09:00:00.000Z' } });
  });

  it('until an expression time inside business hours waits exactly until then', async () => {
    const step: WaitStep = { id: 'w', kind: 'wait', until: 'context.at', businessHours: OFFICE };
    const tuesday = '2026-12-08T11:30:00Z';
    expect(await waitStep.run(input(step, SATURDAY_10H, undefined, tuesday))).toMatchObject({ type: 'suspend', until: Date.parse(tuesday) });
  });
});
