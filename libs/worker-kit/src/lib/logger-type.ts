/** A log method: pino's calling convention, an optional object of fields first. */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

/**
 * The small logger type libs and handlers depend on (pino satisfies it), so nothing below
 * `main.ts` depends on pino itself.
 */
export interface Logger {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}
