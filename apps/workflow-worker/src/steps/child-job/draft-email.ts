import type { StepKind, StepOfKind } from '../../engine/step-kind';
import { runChildJobStep } from './run-child-job-step';

/**
 * `draft_email`: runs an `EMAIL_DRAFT` job on the email queue with the data `input` evaluates to
 * (`{ threadId, context, tone, accountId?, emailProvider? }`; the run's `userId` is added) and
 * completes with its result (the saved draft: `draftId`, `subject`, `body` …). See
 * {@link runChildJobStep} for the wait, retries and timeout.
 */
export const draftEmailStep: StepKind<StepOfKind<'draft_email'>> = {
  kind: 'draft_email',
  run: (input) => runChildJobStep('EMAIL_DRAFT', input),
};
