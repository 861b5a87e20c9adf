import type { Redis } from 'ioredis';
import type { StepKind } from '../engine/step-kind';
import { branchStep } from './branch';
import { draftEmailStep } from './child-job/draft-email';
import { enrichLeadStep } from './child-job/enrich-lead';
import { placeCallStep } from './child-job/place-call';
import { endStep } from './end';
import { httpRequestStep } from './http-request-step';
import { setStep } from './set';
import { waitStep } from './wait';
import { createWaitForEventStep } from './wait-for-event';

/** What the step kinds need besides each attempt's input. */
export interface StepRegistryDeps {
  readonly redis: Redis;
  readonly prefix: string;
}

/** Every step kind of a definition, by kind: the one place the step modules are wired in. */
export function createStepRegistry(deps: StepRegistryDeps): ReadonlyMap<string, StepKind> {
  const kinds: StepKind[] = [
    setStep,
    branchStep,
    endStep,
    waitStep,
    createWaitForEventStep(deps),
    enrichLeadStep,
    draftEmailStep,
    placeCallStep,
    httpRequestStep,
  ] as StepKind[];
  return new Map(kinds.map((k) => [k.kind, k]));
}
