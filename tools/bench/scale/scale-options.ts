import { ScaleOptionsError } from './scale-options-error';

/** What one `bench:scale` invocation measures. */
export interface ScaleOptions {
  /** Jobs enqueued per run (default 20 000). */
  readonly jobs: number;
  /** Worker process counts, in the order measured (default 1, 2, 4). */
  readonly processes: readonly number[];
  /** BullMQ concurrency of every worker process, kit and raw alike (default 50). */
  readonly concurrency: number;
  /** Runs per process count and side; medians are reported (default 3, at least 1). */
  readonly repeats: number;
  /** Longest one run may take from resume to last completion before it counts as hung (ms; default 600 000). */
  readonly runCeilingMs: number;
  /**
   * `--cluster`: measure on a throwaway 3-master Redis Cluster instead (the same curve, and the
   * spread case against one Redis); default false, one Redis per run.
   */
  readonly cluster: boolean;
}

/** Defaults of {@link parseScaleOptions}. */
export const DEFAULT_SCALE_OPTIONS: ScaleOptions = Object.freeze({
  jobs: 20_000,
  processes: Object.freeze([1, 2, 4]),
  concurrency: 50,
  repeats: 3,
  runCeilingMs: 600_000,
  cluster: false,
});

const FLAGS = ['--jobs', '--processes', '--concurrency', '--repeats', '--run-ceiling-ms'] as const;

function positiveInt(flag: string, text: string | undefined, max: number): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new ScaleOptionsError(`${flag} needs a whole number, got ${text === undefined ? 'nothing' : `"${text}"`}`);
  const value = Number(text);
  if (value < 1 || value > max) throw new ScaleOptionsError(`${flag} must be between 1 and ${max}, got ${value}`);
  return value;
}

/**
 * Reads `bench:scale`'s arguments (`--flag value` or `--flag=value`):
 * `--jobs N` (1-10 000 000), `--processes 1,2,4` (each 1-64, no repeats), `--concurrency N`
 * (1-1000), `--repeats N` (1-50), `--run-ceiling-ms N`, and `--cluster` (no value); defaults
 * in {@link DEFAULT_SCALE_OPTIONS}.
 * @throws ScaleOptionsError for anything it cannot use, naming it.
 */
export function parseScaleOptions(argv: readonly string[]): ScaleOptions {
  const options = { ...DEFAULT_SCALE_OPTIONS };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = argv[i].includes('=') ? (argv[i].split(/=(.*)/s, 2) as [string, string]) : [argv[i], undefined];
    if (flag === '--cluster') {
      if (inline !== undefined) throw new ScaleOptionsError(`--cluster takes no value, got "${argv[i]}"`);
      options.cluster = true;
      continue;
    }
    if (!(FLAGS as readonly string[]).includes(flag)) throw new ScaleOptionsError(`unknown argument "${argv[i]}" (known: ${FLAGS.join(', ')}, --cluster)`);
    const value = inline ?? argv[(i += 1)];
    switch (flag as (typeof FLAGS)[number]) {
      case '--jobs':
        options.jobs = positiveInt(flag, value, 10_000_000);
        break;
      case '--concurrency':
        options.concurrency = positiveInt(flag, value, 1000);
        break;
      case '--repeats':
        options.repeats = positiveInt(flag, value, 50);
        break;
      case '--run-ceiling-ms':
        options.runCeilingMs = positiveInt(flag, value, 86_400_000);
        break;
      case '--processes': {
        const counts = (value ?? '').split(',').map((part) => positiveInt(flag, part.trim() || undefined, 64));
        if (new Set(counts).size !== counts.length) throw new ScaleOptionsError(`${flag} lists a count twice: ${value}`);
        options.processes = Object.freeze(counts);
        break;
      }
    }
  }
  return Object.freeze(options);
}
