import type { Logger } from './logger-type';

/** Signals this soon after the first are taken as the same request, in ms. */
export const REPEAT_SIGNAL_WINDOW_MS = 1000;

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
 * ends with exit code 0; a second signal (more than {@link REPEAT_SIGNAL_WINDOW_MS} after the
 * first), or `timeoutMs` passing, forces exit code 1.
 */
export class GracefulShutdown {
  private readonly steps: ShutdownStep[] = [];
  private running: Promise<void> | undefined;
  private readonly exit: (code: number) => void;
  private firstSignalAt = 0;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    // One Ctrl-C often arrives twice: from the terminal to the whole process group and again
    // from a parent that forwards it (nx, npm). Repeats within this window are the same request.
    if (this.running && Date.now() - this.firstSignalAt < REPEAT_SIGNAL_WINDOW_MS) return;
    if (this.running) {
      this.options.log.warn({ signal }, 'second signal: forcing exit');
      this.exit(1);
      return;
    }
    this.firstSignalAt = Date.now();
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
