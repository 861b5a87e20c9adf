import { redactSecrets } from './redact-secrets';

/** Keys whose string values are replaced whole, whatever they hold. */
const SECRET_KEY = /^(?:password|passwd|secret|token|access_?token|refresh_?token|api_?key|authorization|cookie|set-cookie|credentials?)$/i;

/** Redis commands whose arguments are credentials (ioredis errors carry the failed command). */
const CREDENTIAL_COMMANDS = new Set(['auth', 'hello', 'migrate']);

/** How deep {@link redactError} follows nested objects and causes before it stops copying. */
export const REDACT_DEPTH = 8;

/**
 * A copy of `err` fit to log or to store as a job's failure reason: the same class (so
 * `instanceof` and BullMQ's `UnrecoverableError` check still hold) with its message, stack and
 * every own property redacted: strings through `redactSecrets` (registered secret values and
 * URL/bearer patterns), values under keys named like secrets (`password`, `token`,
 * `authorization` …) replaced by `***`, the arguments of an `AUTH`/`HELLO` command that ioredis
 * attaches as `err.command` replaced, nested objects (a client's `config`, `response`, `headers`)
 * and the `cause` chain copied the same way, up to {@link REDACT_DEPTH} levels. The original is
 * left untouched. Anything thrown that is not an Error becomes an Error with the redacted text.
 */
export function redactError(err: unknown): Error {
  if (!(err instanceof Error)) return new Error(redactSecrets(String(err)));
  return redactValue(err, 0, new WeakMap()) as Error;
}

function redactValue(value: unknown, depth: number, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (depth >= REDACT_DEPTH) return value instanceof Error ? new Error(redactSecrets(value.message)) : '[too deep]';
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(redactValue(item, depth + 1, seen));
    return out;
  }
  if (!(value instanceof Error) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    // Buffers, sockets, agents, class instances of a client: not copied (a copy could not
    // behave like them); described by their class name only, which is all a log needs.
    return `[${value.constructor?.name ?? 'object'}]`;
  }
  // Same prototype, so an Error copy keeps its class; own properties only (message, stack and
  // cause are own properties of an Error, enumerable or not).
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  seen.set(value, out);
  const source = value as Record<string, unknown>;
  const credentialCommand = typeof source['name'] === 'string' && CREDENTIAL_COMMANDS.has(source['name'].toLowerCase());
  for (const key of Object.getOwnPropertyNames(value)) {
    let descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor && key === 'stack' && value instanceof Error && !('value' in descriptor)) {
      // Since V8 12.x (Node 22+) an error's `stack` is an own accessor, not a data property: read
      // it (V8's own getter formats the captured trace) so the copy keeps a (redacted) stack.
      descriptor = { value: stackOf(value), writable: true, enumerable: false, configurable: true };
    }
    if (!descriptor || !('value' in descriptor)) continue; // other getters are not called: they may throw or do work
    let copied: unknown;
    if (credentialCommand && key === 'args') copied = ['***'];
    else if (SECRET_KEY.test(key) && descriptor.value !== undefined && descriptor.value !== null) copied = '***';
    else copied = redactValue(descriptor.value, depth + 1, seen);
    Object.defineProperty(out, key, { ...descriptor, value: copied });
  }
  return out;
}

/** `err.stack` through V8's accessor; undefined when the getter throws (a patched Error). */
function stackOf(err: Error): string | undefined {
  try {
    return err.stack;
  } catch {
    return undefined;
  }
}
