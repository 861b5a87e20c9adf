/**
 * Names of the BullMQ queues, one per worker app (DESIGN.md, "Queues and job types").
 * A queue name is also the Redis key segment after the prefix (`bull:<queue>:...`).
 */
export const QUEUE_NAMES = {
  email: 'email',
  voice: 'voice',
  enrichment: 'enrichment',
  workflow: 'workflow',
  seo: 'seo',
  ads: 'ads',
} as const;

/** One of the queue names in {@link QUEUE_NAMES}. */
export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

/** Every queue name, in the order of DESIGN.md's table. */
export const ALL_QUEUE_NAMES: readonly QueueName[] = Object.freeze(Object.values(QUEUE_NAMES));
