import pino, { stdSerializers, type DestinationStream } from 'pino';
import type { Logger } from './logger-type';
import { redactError } from './redact-error';
import { redactSecrets } from './redact-secrets';
import { mergeTraceLogFields, traceLogFields } from './tracing/trace-log-fields';

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

/**
 * `value` with every string scrubbed by `redactSecrets`, errors serialised as `err` is, a few
 * levels deep. Copies only the objects in which something changed: a line's fields are mostly
 * numbers and ids, and copying them on every call is what made logging costly.
 */
function scrubStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  // An error under another key than `err` would be written by JSON.stringify: its own
  // enumerable properties, unredacted. Serialise it as `err` is.
  if (value instanceof Error) return serializeError(value);
  if (depth >= SCRUB_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const scrubbed = scrubStrings(value[i], depth + 1);
      if (scrubbed !== value[i]) (copy ??= [...value])[i] = scrubbed;
    }
    return copy ?? value;
  }
  const source = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    const scrubbed = scrubStrings(source[key], depth + 1);
    if (scrubbed !== source[key]) (copy ??= { ...source })[key] = scrubbed;
  }
  return copy ?? value;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level; default `info`. */
  level?: string;
  /** Bound as `app` on every line. */
  name?: string;
  /**
   * Where lines go; default stdout through pino's asynchronous destination (lines written while a
   * write is in flight go out together in one write; pino flushes what is left synchronously on
   * process exit). Tests pass a stream to read them.
   */
  destination?: DestinationStream;
  /**
   * Add `trace_id`, `span_id`, `trace_flags` of the active OpenTelemetry span to every line
   * logged inside one (a job's `process` span when tracing is on; nothing otherwise); default true.
   */
  traceFields?: boolean;
}

/**
 * The one root logger of a process: pino JSON lines, secrets redacted both in fields
 * ({@link REDACTED_PATHS}) and in text (registered secret values, URL passwords, bearer tokens,
 * `token=` parameters), errors serialised under `err` from a redacted copy (`redactError`: own
 * properties, command arguments and the cause chain included). Lines written while an
 * OpenTelemetry span is active carry its `trace_id`, `span_id` and `trace_flags`
 * (`traceLogFields`), so a job's lines can be found from its trace and back.
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
          // pino hands a fresh arguments array per call: scrubbing it in place allocates nothing.
          for (let i = 0; i < args.length; i += 1) {
            const arg: unknown = args[i];
            if (typeof arg === 'string') (args as unknown[])[i] = redactSecrets(arg);
          }
          method.apply(this, args);
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(options.traceFields === false ? {} : { mixin: traceLogFields, mixinMergeStrategy: mergeTraceLogFields }),
    },
    // One write(2) per line cost more than all the rest of a job's logging under load.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  ) as unknown as Logger;
}
