import { createServer, type Server, type Socket, connect } from 'node:net';

/** A TCP relay between a command under test and Redis that a test can hold and cut at a known point. */
export interface RedisGate {
  /** `redis://127.0.0.1:<port>` of the relay. */
  readonly url: string;
  /** Resolves when the relay started holding (the trigger was seen). */
  readonly held: Promise<void>;
  /** Forwards what was held and everything after it. */
  release(): void;
  /** Drops every connection and refuses new ones: to the client, Redis is gone. */
  cut(): Promise<void>;
  /** Same as {@link cut}; idempotent, for `finally`. */
  close(): Promise<void>;
}

/** When {@link startRedisGate} starts holding. */
export interface HoldTrigger {
  /** Bytes looked for in what the client sends (e.g. a RESP token `$4\r\nopts\r\n`). */
  readonly pattern: string;
  /** Occurrences forwarded before holding: the chunk carrying occurrence `after + 1` is held with all that follows. */
  readonly after: number;
}

/**
 * Test fixture: listens on a free loopback port and relays each connection to `target` (host and
 * port of a Redis). Counts `trigger.pattern` in the client's bytes (across chunk boundaries); once
 * more than `trigger.after` were seen, it stops forwarding client bytes (holding them) until
 * {@link RedisGate.release}. So a test can stop a command between two of its steps without betting
 * on timing: the command waits for answers that cannot come until the test says so.
 */
export async function startRedisGate(target: { host: string; port: number }, trigger: HoldTrigger): Promise<RedisGate> {
  const sockets = new Set<Socket>();
  const held: (() => void)[] = [];
  let seen = 0;
  let holding = false;
  let released = false;
  let onHeld!: () => void;
  const heldPromise = new Promise<void>((resolve) => (onHeld = resolve));
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      seen += text.split(trigger.pattern).length - 1;
      tail = text.slice(-(trigger.pattern.length - 1));
      if (!released && (holding || seen > trigger.after)) {
        if (!holding) {
          holding = true;
          onHeld();
        }
        held.push(() => upstream.write(chunk));
        return;
      }
      upstream.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the gate has no port');
  let closing: Promise<void> | undefined;
  const cut = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    }));
  return {
    url: `redis://127.0.0.1:${address.port}`,
    held: heldPromise,
    release() {
      released = true;
      for (const send of held.splice(0)) send();
    },
    cut,
    close: cut,
  };
}
