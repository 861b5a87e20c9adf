import { DockerfileReplayError } from './dockerfile-replay-error';

const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A Docker/Compose duration (`30s`, `1m30s`, `500ms`) in ms, the format of HEALTHCHECK's options
 * and Compose's `interval`, `timeout`, `start_period`, `stop_grace_period`.
 * @throws DockerfileReplayError when `text` is not such a duration.
 */
export function dockerDurationMs(text: string): number {
  if (!/^(\d+(\.\d+)?(us|ms|s|m|h))+$/.test(text)) throw new DockerfileReplayError(`bad duration ${text}`);
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)) total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return total;
}
