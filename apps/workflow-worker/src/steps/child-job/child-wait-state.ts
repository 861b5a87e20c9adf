import { z } from 'zod';

/**
 * What a child-job step journals while it waits for its child (the engine stores it as the step's
 * `state` and hands it back on resume): the child's `childJobId` on queue `queue`, and
 * `deadline` (ms epoch) when the step has a `timeoutMs`. Parsed on resume, as anything read back
 * from Redis is.
 */
export const childWaitStateSchema = z.strictObject({
  childJobId: z.string().min(1),
  queue: z.string().min(1),
  deadline: z.number().int().nonnegative().optional(),
});

/** A child-job step's journaled wait. */
export type ChildWaitState = z.infer<typeof childWaitStateSchema>;
