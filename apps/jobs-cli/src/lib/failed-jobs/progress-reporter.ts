import { Presets, SingleBar } from 'cli-progress';

/** Reports how far a bulk move is; {@link createProgressReporter} picks the form. */
export interface ProgressReporter {
  /** `done` of the total handled so far; `label` says what is being worked on (a queue name). */
  update(done: number, label: string): void;
  /** Ends the report (the bar stays on screen at its last value; plain mode prints the last line if not yet printed). */
  stop(): void;
}

/** Where and how to report: the CLI context's stderr and whether a person is watching. */
export interface ProgressTarget {
  readonly stderr: NodeJS.WritableStream;
  readonly interactive: boolean;
}

/** Shortest time between two plain progress lines unless the run advanced a tenth, in ms. */
export const PLAIN_PROGRESS_INTERVAL_MS = 1_000;

/**
 * A progress bar (cli-progress) redrawn in place on stderr when `target.interactive`; otherwise
 * plain lines on stderr such as `redrive: 3000/10000 (30%) email`, one whenever another tenth
 * of the total is done or {@link PLAIN_PROGRESS_INTERVAL_MS} has passed since the last line,
 * and always one at the end — so CI logs show progress without one line per job. (cli-progress's
 * own no-TTY mode writes on a timer only, so a run of a few seconds would show little.)
 * @param action - the command's name, first word of each line (`redrive`).
 * @param total - how many jobs the run will handle.
 * @param now - clock in ms (tests fix it).
 */
export function createProgressReporter(target: ProgressTarget, action: string, total: number, now: () => number = Date.now): ProgressReporter {
  if (target.interactive) {
    const bar = new SingleBar(
      { stream: target.stderr as NodeJS.WriteStream, format: `${action} [{bar}] {percentage}% | {value}/{total} | {label} | ETA {eta_formatted}`, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(total, 0, { label: '' });
    return {
      update: (done, label) => bar.update(done, { label }),
      stop: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  let printedDone = -1;
  let printedAt = Number.NEGATIVE_INFINITY;
  let lastDone = 0;
  let lastLabel = '';
  const print = (done: number, label: string): void => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    target.stderr.write(`${action}: ${done}/${total} (${percent}%) ${label}\n`);
    printedDone = done;
    printedAt = now();
  };
  return {
    update(done, label) {
      lastDone = done;
      lastLabel = label;
      if (done === printedDone) return;
      if (done >= total || done - printedDone >= step || now() - printedAt >= PLAIN_PROGRESS_INTERVAL_MS) print(done, label);
    },
    stop() {
      if (lastDone !== printedDone) print(lastDone, lastLabel);
    },
  };
}
