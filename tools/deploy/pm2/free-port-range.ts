import { createServer } from 'node:net';
import { freePort } from '@jobs/test-support';

/** True when `port` on 127.0.0.1 can be listened on right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive TCP ports on 127.0.0.1 that were all free a moment ago (for
 * PM2 instances numbered from one base port).
 * @throws Error after 50 tries without such a range.
 */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const first = await freePort();
    if (first + count - 1 > 65535) continue;
    let free = true;
    for (let port = first + 1; port < first + count && free; port += 1) free = await canListen(port);
    if (free) return first;
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1`);
}
