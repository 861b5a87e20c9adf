/** One thing the bench started and how to stop it. */
interface Release {
  readonly name: string;
  readonly run: () => Promise<void> | void;
}

/** Exit code of a bench stopped by a signal: 128 + the signal's number, as a shell reports it. */
const SIGNAL_EXIT: Readonly<Record<'SIGINT' | 'SIGTERM', number>> = Object.freeze({ SIGINT: 130, SIGTERM: 143 });

/**
 * What `bench:scale` has running that must not outlive it — redis-servers (started in their own
 * process group, so a terminal's Ctrl-C never reaches them), a throwaway cluster, worker
 * processes — stopped newest first when a run ends, on an error, or on SIGINT/SIGTERM.
 *
 * Each resource is registered as soon as it is being started (its release may await a start
 * still in flight), and forgotten once its owner stopped it the ordinary way.
 */
export class BenchCleanup {
  private readonly stack: Release[] = [];
  private releasing: Promise<readonly Error[]> | undefined;
  /** Releases of resources registered after {@link releaseAll} began (a start still in flight), running or done. */
  private readonly late: Promise<Error | undefined>[] = [];
  private signal: NodeJS.Signals | undefined;

  /**
   * Registers `run` to stop `name`; a release added after {@link releaseAll} began runs at once.
   * @returns forget: drops the registration (after the owner stopped it itself); idempotent.
   */
  add(name: string, run: () => Promise<void> | void): () => void {
    const release: Release = { name, run };
    if (this.releasing) {
      this.late.push(this.releasing.then(() => runGuarded(release)));
      return () => undefined;
    }
    this.stack.push(release);
    return () => {
      const at = this.stack.indexOf(release);
      if (at >= 0) this.stack.splice(at, 1);
    };
  }

  /** The signal that stopped the bench, once one came; errors of the runs it cut short are noise then. */
  get interruptedBy(): NodeJS.Signals | undefined {
    return this.signal;
  }

  /**
   * Runs every registered release, newest first, each guarded (one failing does not keep the
   * others from running). Later calls return the same promise.
   * @returns the errors the releases threw, in the order they ran (never rejects).
   */
  releaseAll(): Promise<readonly Error[]> {
    this.releasing ??= (async () => {
      const errors: Error[] = [];
      for (let release = this.stack.pop(); release; release = this.stack.pop()) {
        const error = await runGuarded(release);
        if (error) errors.push(error);
      }
      return errors;
    })();
    return this.releasing;
  }

  /**
   * Resolves once {@link releaseAll} and every release registered after it began have run
   * (including ones registered while waiting), with all their errors.
   */
  async whenReleased(): Promise<readonly Error[]> {
    const errors = [...(await this.releaseAll())];
    for (let seen = 0; seen < this.late.length; seen += 1) {
      const error = await this.late[seen];
      if (error) errors.push(error);
    }
    return errors;
  }

  /**
   * On the first SIGINT or SIGTERM: `say` why, release everything (and whatever the cut-short
   * run still starts meanwhile), exit 130 / 143. A second signal while releasing exits at once
   * (what is left may then outlive the bench).
   */
  releaseOnSignals(say: (line: string) => void): void {
    const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
      if (this.signal) {
        process.exit(SIGNAL_EXIT[signal]);
      }
      this.signal = signal;
      say(`bench:scale: ${signal}: stopping the worker processes and Redis servers it started (again to exit at once)`);
      void this.whenReleased().then((errors) => {
        for (const error of errors) say(`bench:scale: ${error.message}`);
        process.exit(SIGNAL_EXIT[signal]);
      });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}

/** Runs one release; resolves with what it threw (named), or undefined. */
async function runGuarded(release: Release): Promise<Error | undefined> {
  try {
    await release.run();
    return undefined;
  } catch (err) {
    return new Error(`stopping ${release.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
