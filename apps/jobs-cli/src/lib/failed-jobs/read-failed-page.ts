import type { Queue } from 'bullmq';
import type { SelectedFailedJob } from './selected-failed-job';

// One read-only script per page: ZRANGEBYSCORE … LIMIT on the failed set, then HMGET name and
// failedReason of each id found, in one round trip. BullMQ 6.7's client interface has no
// ZRANGEBYSCORE and its pipelines no HMGET; it runs Lua as named commands (EVALSHA, loaded once
// per client), which also keeps a page consistent: the ids and their fields are read at one instant.
// KEYS[1] failed zset, KEYS[2] job key prefix (`<prefix>:<queue>:`);
// ARGV min score, max score (Redis range syntax, `(` = exclusive), offset, count.
const READ_FAILED_PAGE = `
local entries = redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', ARGV[3], ARGV[4])
local out = {}
for i = 1, #entries, 2 do
  local fields = redis.call('HMGET', KEYS[2] .. entries[i], 'name', 'failedReason')
  out[#out + 1] = entries[i]
  out[#out + 1] = entries[i + 1]
  out[#out + 1] = fields[1] or ''
  out[#out + 1] = fields[2] or false
end
return out`;

const COMMAND = 'jobsCliReadFailedPage';
const defined = new WeakSet<object>();

/** A page request on the failed set: a score range in Redis syntax and an offset into it. */
export interface FailedPageRequest {
  /** Lowest score, inclusive (`1700000000000`) or exclusive (`(1700000000000`), or `-inf`. */
  readonly min: string;
  /** Highest score, same syntax, or `+inf`. */
  readonly max: string;
  /** How many entries of the range to skip. */
  readonly offset: number;
  /** How many entries to return at most. */
  readonly count: number;
}

/**
 * Reads one page of `<prefix>:<queue>:failed` (a zset scored by `finishedOn`) in ascending score
 * order, with each job's name and failure reason.
 * @throws the Redis client's error when Redis cannot be reached.
 */
export async function readFailedPage(queue: Queue, request: FailedPageRequest): Promise<SelectedFailedJob[]> {
  const client = await queue.getBackend().client;
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { numberOfKeys: 2, lua: READ_FAILED_PAGE, readOnly: true });
    defined.add(client);
  }
  const flat = (await client.runCommand(COMMAND, [queue.keys.failed, queue.toKey(''), request.min, request.max, request.offset, request.count])) as (string | null)[];
  const page: SelectedFailedJob[] = [];
  for (let i = 0; i < flat.length; i += 4) {
    page.push({ id: String(flat[i]), failedAtMs: Number(flat[i + 1]), name: String(flat[i + 2] ?? ''), failedReason: flat[i + 3] ?? null });
  }
  return page;
}
