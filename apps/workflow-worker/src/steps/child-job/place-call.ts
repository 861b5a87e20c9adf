import type { StepKind, StepOfKind } from '../../engine/step-kind';
import { runChildJobStep } from './run-child-job-step';

/**
 * `place_call`: runs a `VOICE_CALL` job on the voice queue with the data `input` evaluates to
 * (`{ callId, phoneNumber, assistantId, metadata? }`; the run's `userId` is added) and completes
 * at the call's end with its outcome (`vapiCallId`, `status`, `endedReason`, `durationSeconds`,
 * `transcript`, `summary` …). A call held for its calling window keeps the run waiting (no slot
 * held). See {@link runChildJobStep} for the wait, retries and timeout.
 */
export const placeCallStep: StepKind<StepOfKind<'place_call'>> = {
  kind: 'place_call',
  run: (input) => runChildJobStep('VOICE_CALL', input),
};
