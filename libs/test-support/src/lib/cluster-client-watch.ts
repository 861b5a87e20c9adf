import type { Cluster } from 'ioredis';
import { waitFor } from './wait-for';

/** One client of a `CLIENT LIST` answer: its id and its whole line (name, age, last command …). */
interface ListedClient {
  readonly id: number;
  readonly line: string;
}

function listedClients(list: unknown): ListedClient[] {
  return String(list)
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => ({ id: Number(/(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? NaN), line }));
}

/**
 * A mark in each master's client list, to find later the connections opened after it: Redis
 * gives every new client a higher id than any before it, per server.
 * @param admin - the test's own Cluster client (its connections are older than the mark).
 * @returns per master (in `admin.nodes('master')` order, with its port) the highest client id now.
 */
export async function markClusterClients(admin: Cluster): Promise<ReadonlyMap<number, number>> {
  const marks = new Map<number, number>();
  for (const node of admin.nodes('master')) {
    marks.set(Number(node.options.port), Math.max(0, ...listedClients(await node.client('LIST')).map((c) => c.id)));
  }
  return marks;
}

/**
 * Waits until no connection opened after `mark` is left on any master: the check that a
 * shutdown closed everything it opened. Judged by client id, not by count, so connections of
 * earlier tests still closing, or the test's own older ones, neither hide a leak nor fail it.
 * @param timeoutMs - ceiling, default 30 000 ms (only to catch a leak; closing takes far less).
 * @throws Error listing each connection still there (`<port>: id=… name=… cmd=…`) at the ceiling.
 */
export async function waitForNoClientsSince(admin: Cluster, mark: ReadonlyMap<number, number>, what: string, timeoutMs = 30_000): Promise<void> {
  let left: string[] = [];
  await waitFor(
    what,
    async () => {
      left = [];
      for (const node of admin.nodes('master')) {
        const port = Number(node.options.port);
        const since = mark.get(port) ?? 0;
        for (const c of listedClients(await node.client('LIST'))) if (c.id > since) left.push(`${port}: ${c.line}`);
      }
      return left.length === 0;
    },
    { timeoutMs },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; still connected: ${left.join(' | ')}`);
  });
}
