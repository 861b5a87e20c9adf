import type { RedisClient } from 'bullmq';

/** A Lua script run atomically in Redis; every key it touches is in KEYS (as Redis Cluster needs). */
interface WorkflowScript {
  /** The command name it is registered under (`defineCommand`), prefixed so it meets no BullMQ command. */
  readonly name: string;
  readonly numberOfKeys: number;
  readonly lua: string;
}

/** The Lua scripts of the workflow API. */
export const WORKFLOW_SCRIPTS = Object.freeze({
  /**
   * Save a definition version. KEYS[1] = the definition hash, ARGV[1] = the definition's JSON.
   * Returns the new version: `latest` + 1 (1 for the first), stored under field `<version>`.
   */
  saveDefinition: {
    name: 'workflowSaveDefinition',
    numberOfKeys: 1,
    lua: `
local version = redis.call('HINCRBY', KEYS[1], 'latest', 1)
redis.call('HSET', KEYS[1], tostring(version), ARGV[1])
return version`,
  },

  /** The latest version and its JSON. KEYS[1] = the definition hash. Returns `{ version, json }`, or nil. */
  latestDefinition: {
    name: 'workflowLatestDefinition',
    numberOfKeys: 1,
    lua: `
local version = redis.call('HGET', KEYS[1], 'latest')
if not version then return nil end
return { version, redis.call('HGET', KEYS[1], version) }`,
  },

  /** The fields of a definition hash (`latest` and the versions). KEYS[1] = the definition hash. */
  definitionFields: {
    name: 'workflowDefinitionFields',
    numberOfKeys: 1,
    lua: `return redis.call('HKEYS', KEYS[1])`,
  },

  /**
   * Record an event for a run that exists and has not ended, unless that event was already
   * recorded. KEYS[1] = the run's events hash, KEYS[2] = the run record, KEYS[3] = the hash of
   * the run's job under its default id (`wfrun-<runId>`); ARGV[1] = event name, ARGV[2] = JSON
   * `{ payload?, at }`, ARGV[3] = TTL in ms, set only when the hash has none (the worker shortens
   * it when the run ends), ARGV[4…] = the run statuses that mean ended.
   * Returns 1 recorded, 0 already recorded, -1 no record and no job (nothing written), -2 the
   * record says ended (nothing written). A record that is not JSON counts as a run not ended.
   */
  signal: {
    name: 'workflowSignal',
    numberOfKeys: 3,
    lua: `
local record = redis.call('GET', KEYS[2])
if record then
  local ok, decoded = pcall(cjson.decode, record)
  if ok and type(decoded) == 'table' then
    for i = 4, #ARGV do
      if decoded['status'] == ARGV[i] then return -2 end
    end
  end
elseif redis.call('EXISTS', KEYS[3]) == 0 then
  return -1
end
local added = redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return added`,
  },
} satisfies Record<string, WorkflowScript>);

/** Clients the scripts were registered on. */
const registered = new WeakSet<RedisClient>();

/**
 * Runs `script` on `client` (BullMQ's Redis client adapter: `defineCommand` once per client,
 * then `runCommand`, which ioredis sends as EVALSHA, falling back to EVAL).
 * @param args - KEYS first, then ARGV.
 */
export function runWorkflowScript(client: RedisClient, script: WorkflowScript, args: (string | number)[]): Promise<unknown> {
  if (!registered.has(client)) {
    for (const s of Object.values(WORKFLOW_SCRIPTS)) client.defineCommand(s.name, { numberOfKeys: s.numberOfKeys, lua: s.lua });
    registered.add(client);
  }
  return client.runCommand(script.name, args);
}
