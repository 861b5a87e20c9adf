import type { Logger } from '@jobs/worker-kit';

/** A {@link Logger} for tests that records each call as `{ level, args }` and prints nothing. */
export function silentLogger(records: Array<{ level: string; args: unknown[] }> = []): Logger {
  const method =
    (level: string) =>
    (...args: unknown[]): void => {
      records.push({ level, args });
    };
  const logger: Logger = {
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    child: () => logger,
  };
  return logger;
}
