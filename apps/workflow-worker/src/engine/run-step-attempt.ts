import type { StepKind, StepResult, StepRunInput } from './step-kind';
import { StepExpressionError } from './step-expression-error';
import { StepTimeoutError } from './step-timeout-error';

/**
 * Runs one attempt of a step: its own AbortSignal, aborted by `parentSignal` (shutdown, job
 * timeout) and, when `timeoutMs` is given, after that many ms, when the attempt counts as
 * failed (retryable) even if the step's code never settles.
 * @returns the step's result; a `StepExpressionError` thrown by an expression becomes a failed,
 *   non-retryable result.
 * @throws whatever else the step threw (the engine treats it as an infrastructure error), or
 *   the parent signal's reason once it aborted.
 */
export async function runStepAttempt(
  kind: StepKind,
  input: Omit<StepRunInput, 'signal'>,
  timeoutMs: number | undefined,
  parentSignal: AbortSignal,
): Promise<StepResult> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parentSignal.reason);
  if (parentSignal.aborted) throw parentSignal.reason;
  parentSignal.addEventListener('abort', onParentAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  // Made only when it fires: an Error captures a stack, and most attempts have no timeout.
  let timeout: StepTimeoutError | undefined;
  const timedOut = (): StepResult => ({ type: 'failed', error: (timeout as StepTimeoutError).message, retryable: true });
  try {
    const attempt = kind.run({ ...input, signal: controller.signal });
    if (timeoutMs === undefined) return await attempt;
    const deadline = new Promise<StepResult>((resolve) => {
      timer = setTimeout(() => {
        timeout = new StepTimeoutError(input.step.id, timeoutMs);
        controller.abort(timeout);
        resolve(timedOut());
      }, timeoutMs);
    });
    // A step that ignores its signal keeps running in the background; its result is dropped.
    attempt.catch(() => undefined);
    return await Promise.race([attempt, deadline]);
  } catch (err) {
    if (parentSignal.aborted) throw parentSignal.reason;
    if (err instanceof StepExpressionError) return { type: 'failed', error: err.message, retryable: false };
    if (timeout !== undefined && controller.signal.reason === timeout) return timedOut();
    throw err;
  } finally {
    clearTimeout(timer);
    parentSignal.removeEventListener('abort', onParentAbort);
  }
}
