import type { StepKind, StepOfKind } from '../engine/step-kind';

/**
 * `end`: ends the run, with `output` evaluated as the run's output (none without it). The run's
 * status (`step.status`, default completed) is the engine's to apply.
 */
export const endStep: StepKind<StepOfKind<'end'>> = {
  kind: 'end',
  async run({ step, evaluate }) {
    if (step.output === undefined) return { type: 'completed' };
    return { type: 'completed', output: await evaluate(step.output, 'output') };
  },
};
