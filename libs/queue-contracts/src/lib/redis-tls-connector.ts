import type { NetStream } from 'ioredis/built/types';
import type ConnectorConstructor from 'ioredis/built/connectors/ConnectorConstructor';
import type { ErrorEmitter } from 'ioredis/built/connectors/AbstractConnector';
import StandaloneConnector from 'ioredis/built/connectors/StandaloneConnector';
import { redisTlsErrorFrom, type RedisTlsErrorContext } from './redis-tls-error-from';

/**
 * An ioredis `Connector` (its `RedisOptions.Connector` option) that connects exactly as
 * ioredis's own standalone connector does, and replaces the certificate errors of the TLS
 * socket with a {@link RedisTlsError} saying which setting to fix (see `redisTlsErrorFrom`).
 *
 * Why here: ioredis hands the socket's error object to every listener (its reconnect logic,
 * BullMQ's `error` events, a producer's `QueueUnavailableError`), so the one place where a
 * clear message reaches all of them is the socket itself. Only `error` events are touched;
 * verification stays Node's (`rejectUnauthorized` is never turned off).
 * @param context - what the client was configured with, for the messages.
 */
export function redisTlsConnector(context: RedisTlsErrorContext): ConnectorConstructor {
  return class RedisTlsConnector extends StandaloneConnector {
    // ioredis passes its whole options object; ConnectorConstructor types it as unknown.
    constructor(options: unknown) {
      super(options as ConstructorParameters<typeof StandaloneConnector>[0]);
    }

    override async connect(emitter: ErrorEmitter): Promise<NetStream> {
      const stream = await super.connect(emitter);
      const emit = stream.emit;
      stream.emit = function (this: NetStream, event: string | symbol, ...args: unknown[]): boolean {
        if (event === 'error') args[0] = redisTlsErrorFrom(args[0], context) ?? args[0];
        return (emit as (event: string | symbol, ...args: unknown[]) => boolean).call(this, event, ...args);
      } as NetStream['emit'];
      return stream;
    }
  };
}
