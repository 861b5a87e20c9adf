import type { Logger } from './logger-type';

/** One ordered clean-up step. */
export interface ShutdownStep {
  readonly name: string;
  run(): Promise<void> | void;
}

/** Options of {@link GracefulShutdown}. */
export interface GracefulShutdownOptions {
  readonly log: Logger;
  /** From the first signal to a forced exit, in ms. */
  readonly timeoutMs: number;
  /** Called with the exit code; default `process.exit`. Tests pass a spy. */
  readonly exit?: (code: number) => void;
}

/**
 * Ordered, idempotent shutdown: steps run one after another in the order added, each guarded
 * (a failing step is logged and the next still runs). The first SIGTERM/SIGINT starts it and
 * ends with exit code 0; a second signal, or `timeoutMs` passing, forces exit code 1.
 */
export class GracefulShutdown {
  private readonly steps: ShutdownStep[] = [];
  private running: Promise<void> | undefined;
  private readonly exit: (code: number) => void;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (this.running) {
      this.options.log.warn({ signal }, 'second signal: forcing exit');
      this.exit(1);
      return;
    }
    void this.shutdown(signal).then(() => this.exit(0));
  };

  constructor(private readonly options: GracefulShutdownOptions) {
    this.exit = options.exit ?? ((code) => process.exit(code));
  }

  /** Adds a step; steps run in the order added. */
  add(name: string, run: () => Promise<void> | void): this {
    this.steps.push({ name, run });
    return this;
  }

  /** True once shutdown has started. */
  get isShuttingDown(): boolean {
    return this.running !== undefined;
  }

  /** Listens for the signals (default SIGTERM and SIGINT). */
  install(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): this {
    for (const s of signals) process.on(s, this.onSignal);
    return this;
  }

  /** Stops listening (tests). */
  uninstall(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
    for (const s of signals) process.off(s, this.onSignal);
  }

  /**
   * Runs the steps once; later calls return the same promise. Arms a timer that forces exit
   * code 1 after `timeoutMs`, so a step that hangs (Redis unreachable) cannot keep the process.
   */
  shutdown(reason: string): Promise<void> {
    this.running ??= (async () => {
      const { log, timeoutMs } = this.options;
      log.info({ reason, timeoutMs }, 'shutting down');
      const timer = setTimeout(() => {
        log.error({ timeoutMs }, 'shutdown timed out: forcing exit');
        this.exit(1);
      }, timeoutMs);
      timer.unref();
      for (const step of this.steps) {
        const started = Date.now();
        try {
          await step.run();
          log.debug({ step: step.name, ms: Date.now() - started }, 'shutdown step done');
        } catch (err) {
          log.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(timer);
      log.info('shutdown complete');
    })();
    return this.running;
  }
}
