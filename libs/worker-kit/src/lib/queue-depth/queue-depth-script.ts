/**
 * Lua that reads one BullMQ queue's depth in one round trip, read-only.
 *
 * KEYS[1] the queue's key prefix (`<prefix>:<queue>:`, BullMQ's `queue.keys['']`). Job keys are
 *   built from it inside the script, as BullMQ's own scripts do (`getCounts-1.lua`).
 * ARGV[1] how many jobs at the taking end of `wait` to look at for the oldest (see below).
 * ARGV[2] how many priority classes of `prioritized` to look at.
 * ARGV[3] now, ms since the epoch on the caller's clock (BullMQ's workers promote delayed jobs by
 *   their own clocks too).
 *
 * Returns `{ wait, prioritized, waiting-children, active, delayed, failed, completed, paused(0|1),
 * oldestWaitingSinceMs (-1 when none) }`; the oldest is looked for in `wait`, `prioritized` and
 * the overdue head of `delayed`.
 *
 * Where the oldest waiting job is, in BullMQ 6:
 * - `wait` is a list: new jobs (and delayed jobs coming due) are LPUSHed, workers take from the
 *   right (RPOPLPUSH), so the job that entered first is the rightmost of the LPUSHed ones. LIFO
 *   jobs, stalled jobs moved back and parents whose children finished are RPUSHed, i.e. land to
 *   the right of it; looking at the last ARGV[1] jobs finds it unless more than that many of those
 *   are queued in front of it.
 * - `prioritized` is a sorted set scored `priority * 2^32 + insertion counter`, so within one
 *   priority the lowest score entered first. The script takes the first job of each priority class
 *   (at most ARGV[2] classes, ascending): exact unless there are more classes than that.
 * A job's waiting starts at `timestamp + delay` (a delayed job waits from when it came due).
 * BullMQ resets the hash's `delay` to 0 when it promotes a delayed job, so the delay asked for at
 * `add` is read from the job's `opts` as well. A job that already ran (retry, stall) has
 * `processedOn`: its waiting is taken to start then, which overstates it by that attempt's run
 * time and any retry backoff (BullMQ keeps no "back in wait since" field).
 * - `delayed` is a sorted set scored `due ms * 0x1000 + counter` (BullMQ 6's getDelayedScore.lua,
 *   up to 4096 jobs per ms), so its first entry is the job due earliest. Only a worker moves a due
 *   job to `wait`: with no worker running, a job due an hour ago stays `delayed`. When that first
 *   job's due time has passed it is waiting in all but name, and counts from its due time.
 * The marker BullMQ 4 left at the right end of `wait` ("0:...") is skipped and not counted,
 * as BullMQ's `getCounts` does.
 */
export const QUEUE_DEPTH_LUA = `
local rcall = redis.call
local prefix = KEYS[1]
local tailLength = tonumber(ARGV[1])
local maxClasses = tonumber(ARGV[2])
local nowMs = tonumber(ARGV[3])

local function waitingSince(jobId)
  local f = rcall("HMGET", prefix .. jobId, "timestamp", "delay", "processedOn", "opts")
  local timestamp = tonumber(f[1])
  if not timestamp then return nil end
  local delay = tonumber(f[2]) or 0
  if f[4] then
    local ok, opts = pcall(cjson.decode, f[4])
    if ok and type(opts) == "table" and tonumber(opts["delay"]) then
      delay = math.max(delay, tonumber(opts["delay"]))
    end
  end
  local since = timestamp + delay
  local processedOn = tonumber(f[3])
  if processedOn and processedOn > since then since = processedOn end
  return since
end

local oldest = -1
local function consider(jobId)
  local since = waitingSince(jobId)
  if since and (oldest < 0 or since < oldest) then oldest = since end
end

local waitKey = prefix .. "wait"
local waitCount = rcall("LLEN", waitKey)
for _, jobId in ipairs(rcall("LRANGE", waitKey, -tailLength, -1)) do
  if string.sub(jobId, 1, 2) == "0:" then waitCount = waitCount - 1 else consider(jobId) end
end

local prioritizedKey = prefix .. "prioritized"
local from = "-inf"
for _ = 1, maxClasses do
  local first = rcall("ZRANGEBYSCORE", prioritizedKey, from, "+inf", "WITHSCORES", "LIMIT", 0, 1)
  if #first == 0 then break end
  consider(first[1])
  -- %d: Lua's default number format keeps 14 digits; scores reach 2^53.
  from = string.format("%d", (math.floor(tonumber(first[2]) / 0x100000000) + 1) * 0x100000000)
end

-- The delayed job due earliest, when it is overdue: no worker promoted it.
local firstDelayed = rcall("ZRANGE", prefix .. "delayed", 0, 0, "WITHSCORES")
if #firstDelayed == 2 then
  local due = math.floor(tonumber(firstDelayed[2]) / 0x1000)
  if due <= nowMs and (oldest < 0 or due < oldest) then oldest = due end
end

return {
  waitCount,
  rcall("ZCARD", prioritizedKey),
  rcall("ZCARD", prefix .. "waiting-children"),
  rcall("LLEN", prefix .. "active"),
  rcall("ZCARD", prefix .. "delayed"),
  rcall("ZCARD", prefix .. "failed"),
  rcall("ZCARD", prefix .. "completed"),
  rcall("HEXISTS", prefix .. "meta", "paused"),
  oldest
}
`;

/** The name the script is defined under on a queue's client (versioned: a changed script gets a new name). */
export const QUEUE_DEPTH_COMMAND = 'jobsQueueDepth:2';
