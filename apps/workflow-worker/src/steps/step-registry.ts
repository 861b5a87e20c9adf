import type { AppRedis } from '@jobs/worker-kit';
import type { StepKind } from '../engine/step-kind';
import { branchStep } from './branch';
import { draftEmailStep } from './child-job/draft-email';
import { enrichLeadStep } from './child-job/enrich-lead';
import { placeCallStep } from './child-job/place-call';
import { endStep } from './end';
import { createHttpRequestStep } from './http-request/http-request-step';
import { setStep } from './set';
import { waitStep } from './wait';
import { createWaitForEventStep } from './wait-for-event';

/** What the step kinds need besides each attempt's input. */
export interface StepRegistryDeps {
  /** The app's state connection (runs' events). */
  readonly redis: AppRedis;
  /** The `workflow` queue's BullMQ prefix, as the engine's `prefix`. */
  readonly prefix: string;
  /** `http_request` may reach loopback and private addresses (`WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS`). */
  readonly httpAllowPrivateNetworks: boolean;
}

/** Every step kind of a definition, by kind: the one place the step modules are wired in. */
export function createStepRegistry(deps: StepRegistryDeps): ReadonlyMap<string, StepKind> {
  const kinds: StepKind[] = [
    setStep,
    branchStep,
    endStep,
    waitStep,
    createWaitForEventStep({ redis: deps.redis, prefix: deps.prefix }),
    enrichLeadStep,
    draftEmailStep,
    placeCallStep,
    createHttpRequestStep({ allowPrivateNetworks: deps.httpAllowPrivateNetworks }),
  ] as StepKind[];
  return new Map(kinds.map((k) => [k.kind, k]));
}
