import type { LogFn, Logger } from './logger-type';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
type LogLevel = (typeof LEVELS)[number];

/**
 * A {@link Logger} that becomes `parent.child(bindings)` on its first call: a pino child costs
 * its bindings' serialisation, paid per job though most jobs never log through it. Lines are the
 * same as the child's would be.
 */
export class LazyChildLogger implements Logger {
  declare trace: LogFn;
  declare debug: LogFn;
  declare info: LogFn;
  declare warn: LogFn;
  declare error: LogFn;
  declare fatal: LogFn;
  private built: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  static {
    // On the prototype, not per instance: an instance per job should cost two fields.
    for (const level of LEVELS) {
      LazyChildLogger.prototype[level] = function (this: LazyChildLogger, objOrMsg: object | string, msg?: string) {
        this.write(level, objOrMsg, msg);
      } as LogFn;
    }
  }

  child(more: Record<string, unknown>): Logger {
    return this.real().child(more);
  }

  private real(): Logger {
    return (this.built ??= this.parent.child(this.bindings));
  }

  private write(level: LogLevel, objOrMsg: object | string, msg?: string): void {
    if (typeof objOrMsg === 'string') this.real()[level](objOrMsg);
    else this.real()[level](objOrMsg, msg);
  }
}
