import pino, { stdSerializers, type DestinationStream } from 'pino';
import type { Logger } from './logger-type';
import { redactError } from './redact-error';
import { redactSecrets } from './redact-secrets';

/** Object paths whose values never reach the log (pino `redact`, one wildcard level). */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'authorization',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.apiKey',
  '*.secret',
  '*.authorization',
  '*.headers.authorization',
  '*.headers.cookie',
];

const SCRUB_DEPTH = 4;

/**
 * An error as a log field: pino's serializer over a redacted copy, so the error's own properties
 * (ioredis's `command.args` holding an AUTH password, an HTTP client's `config.headers`, a
 * provider's echoed response body) and its `cause` chain are cleaned, not only message and stack.
 * Runs only when an error is logged: the error path, not every line.
 */
function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? redactSecrets(err) : err;
  const out = stdSerializers.err(redactError(err));
  out.message = redactSecrets(out.message);
  if (out.stack) out.stack = redactSecrets(out.stack);
  return out;
}

function scrubStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  // An error under another key than `err` would be written by JSON.stringify: its own
  // enumerable properties, unredacted. Serialise it as `err` is.
  if (value instanceof Error) return serializeError(value);
  if (depth >= SCRUB_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => scrubStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubStrings(v, depth + 1);
  return out;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level; default `info`. */
  level?: string;
  /** Bound as `app` on every line. */
  name?: string;
  /** Where lines go; default stdout. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/**
 * The one root logger of a process: pino JSON lines, secrets redacted both in fields
 * ({@link REDACTED_PATHS}) and in text (registered secret values, URL passwords, bearer tokens,
 * `token=` parameters), errors serialised under `err` from a redacted copy (`redactError`: own
 * properties, command arguments and the cause chain included).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: options.name ? { app: options.name, pid: process.pid } : { pid: process.pid },
      redact: { paths: [...REDACTED_PATHS], censor: '***' },
      serializers: {
        err: serializeError,
      },
      formatters: {
        // Field values can carry secrets too (a URL with a password in it): scrub strings in
        // the logged object, a few levels deep. Keys in REDACTED_PATHS are censored whole.
        log: (object) => scrubStrings(object, 0) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  ) as unknown as Logger;
}
