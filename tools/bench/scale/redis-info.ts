import type { Redis } from 'ioredis';

/** The INFO fields the scaling bench reads, at one moment. */
export interface RedisInfoSample {
  /** `used_cpu_sys + used_cpu_user`, seconds of CPU the server has used since it started. */
  readonly cpuSeconds: number;
  /** `used_memory`, bytes the allocator holds for data and overhead. */
  readonly usedMemoryBytes: number;
  /** `total_commands_processed` since start. */
  readonly commands: number;
}

function field(info: string, name: string): number {
  const match = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info);
  if (!match) throw new Error(`INFO has no ${name}`);
  return Number(match[1]);
}

/** Reads {@link RedisInfoSample} with one `INFO cpu memory stats` call (several sections: Redis 7+). */
export async function sampleRedisInfo(redis: Redis): Promise<RedisInfoSample> {
  const info = String(await redis.call('INFO', 'cpu', 'memory', 'stats'));
  return {
    cpuSeconds: field(info, 'used_cpu_sys') + field(info, 'used_cpu_user'),
    usedMemoryBytes: field(info, 'used_memory'),
    commands: field(info, 'total_commands_processed'),
  };
}
