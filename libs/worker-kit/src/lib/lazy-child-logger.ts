import type { Logger } from './logger-type';

type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/**
 * A {@link Logger} that becomes `parent.child(bindings)` on its first call: a pino child costs
 * its bindings' serialisation, paid per job though most jobs never log through it. Lines are the
 * same as the child's would be.
 */
export class LazyChildLogger implements Logger {
  private built: Logger | undefined;
  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}
  private write(level: LogLevel, objOrMsg: object | string, msg?: string): void {
    const real = (this.built ??= this.parent.child(this.bindings));
    if (typeof objOrMsg === 'string') real[level](objOrMsg);
    else real[level](objOrMsg, msg);
  }
  trace(objOrMsg: object | string, msg?: string): void {
    this.write('trace', objOrMsg, msg);
  }
  debug(objOrMsg: object | string, msg?: string): void {
    this.write('debug', objOrMsg, msg);
  }
  info(objOrMsg: object | string, msg?: string): void {
    this.write('info', objOrMsg, msg);
  }
  warn(objOrMsg: object | string, msg?: string): void {
    this.write('warn', objOrMsg, msg);
  }
  error(objOrMsg: object | string, msg?: string): void {
    this.write('error', objOrMsg, msg);
  }
  fatal(objOrMsg: object | string, msg?: string): void {
    this.write('fatal', objOrMsg, msg);
  }
  child(more: Record<string, unknown>): Logger {
    return (this.built ??= this.parent.child(this.bindings)).child(more);
  }
}
