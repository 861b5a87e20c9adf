import type { QueueName } from './queue-names';
import type { RedisSettings } from './redis-env';

/**
 * The Redis Cluster hash-tag group of each queue. BullMQ's Lua scripts read and write many keys
 * of a queue in one call (`<prefix>:<queue>:wait`, `:active`, `:meta`, the job hashes …), and a
 * cluster runs a script only when all its keys hash to one slot, else `CROSSSLOT`. A `{tag}` in
 * the prefix makes Redis hash only the tag, so all of a queue's keys share the tag's slot.
 *
 * Queues linked by flows share one group: the workflow worker adds child jobs on `email`,
 * `voice` and `enrichment` under a parent job on `workflow` (BullMQ's `FlowProducer`), and the
 * scripts that add a child or complete it also touch the parent's keys (its dependencies set,
 * its queue's wait list), so parent and child queues must hash to the same slot. `seo` and `ads`
 * take part in no flow and get a slot of their own, so their load can land on other shards.
 *
 * Which master serves a slot is the cluster's choice; the tags are picked so that the even split
 * `redis-cli --cluster create` makes over 3 masters (0–5460, 5461–10922, 10923–16383) puts the
 * three groups on three masters: `{workflow}` is slot 12349, `{seo-audit}` 1174, `{ads}` 9537
 * (`CLUSTER KEYSLOT`). With other slot layouts, move slots with `redis-cli --cluster reshard`.
 */
export const QUEUE_SLOT_GROUPS: Readonly<Record<QueueName, string>> = Object.freeze({
  workflow: 'workflow',
  email: 'workflow',
  voice: 'workflow',
  enrichment: 'workflow',
  seo: 'seo-audit',
  ads: 'ads',
});

/** The BullMQ key prefix when none is configured (`BULLMQ_PREFIX`'s default). */
export const DEFAULT_BULLMQ_PREFIX = 'bull';

/**
 * The BullMQ `prefix` to open queue `queue` with, the one place every producer, worker,
 * dashboard and CLI must take it from (a different prefix is a different, empty queue).
 * - Standalone Redis: `prefix` as configured (default `bull`), unchanged from before cluster
 *   support, so existing keys stay where they are.
 * - Redis Cluster (`redis.clusterNodes` set): `<prefix>:{<group>}` with the group of
 *   {@link QUEUE_SLOT_GROUPS}, e.g. `bull:{workflow}` for `email`, `bull:{seo-audit}` for `seo`;
 *   a queue's keys are then `bull:{workflow}:email:…`, all in one slot.
 * @param settings - `redis`: where Redis is; `prefix`: the configured prefix, default `bull`.
 *   A configured prefix that already holds a `{…}` tag would override the group's, so cluster
 *   mode refuses it.
 * @throws RangeError in cluster mode when `prefix` contains `{` or `}`.
 */
export function queuePrefix(settings: { readonly redis: RedisSettings; readonly prefix?: string }, queue: QueueName): string {
  const prefix = settings.prefix ?? DEFAULT_BULLMQ_PREFIX;
  if (!settings.redis.clusterNodes) return prefix;
  if (/[{}]/.test(prefix)) {
    throw new RangeError(`BullMQ prefix "${prefix}" holds a hash tag; in cluster mode the kit adds one per queue group, leave braces out`);
  }
  return `${prefix}:{${QUEUE_SLOT_GROUPS[queue]}}`;
}

/**
 * The prefix of an app's own Redis keys (records, locks, rate limits, reports): the prefix of the
 * queue the app serves, then the app's namespace, `<queuePrefix>:<namespace>`.
 * - Standalone Redis: `<prefix>:<namespace>`, e.g. `bull:email-worker`, where the apps kept
 *   their keys before cluster support (nothing moves).
 * - Redis Cluster: `<prefix>:{<group>}:<namespace>`, e.g. `bull:{workflow}:email-worker`,
 *   `bull:{ads}:ads-worker`: every key of an app hashes to its queue's slot, so an app's
 *   multi-key scripts (a fenced write over a record and a job's lock) run on one node, and a
 *   reader that derives the prefix from a queue's `qualifiedName` (`getAdAnalysisReport`,
 *   `WorkflowClient`) finds the same keys.
 * @param settings - as {@link queuePrefix}.
 * @param queue - the queue the app serves.
 * @param namespace - the app's key namespace, e.g. `email-worker`; no `{`, `}` or `:`.
 * @throws RangeError for a namespace with `{`, `}` or `:`, or as {@link queuePrefix}.
 */
export function appKeyPrefix(
  settings: { readonly redis: RedisSettings; readonly prefix?: string },
  queue: QueueName,
  namespace: string,
): string {
  if (namespace === '' || /[{}:]/.test(namespace)) {
    throw new RangeError(`app key namespace "${namespace}" must be non-empty, without "{", "}" or ":"`);
  }
  return `${queuePrefix(settings, queue)}:${namespace}`;
}
