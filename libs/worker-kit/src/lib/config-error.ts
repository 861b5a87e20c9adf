/**
 * One thing wrong with one environment variable: `missing` when a required variable is unset
 * (or empty), `invalid` when its value is refused. `message` never holds the value, which may be
 * a secret.
 */
export interface ConfigProblem {
  readonly variable: string;
  readonly kind: 'missing' | 'invalid';
  /** Why, e.g. `must be a whole number` or, for a conditionally required one, `required when EMAIL_SINK=webhook`. */
  readonly message: string;
}

/**
 * A bad configuration: every problem found, as a list, and a one-line message built from it,
 * e.g. `email-worker: missing EMAIL_TOKEN_URL, EMAIL_TOKEN_SECRET; invalid WORKER_CONCURRENCY:
 * must be a whole number`. Thrown by `loadWorkerConfig` (no `source`) and each app's
 * `loadConfig` (`source` is the app's name); callers combine lists through `problems`, never by
 * parsing `message`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly ConfigProblem[];
  /** What was being configured (an app's name), the message's first word; undefined for a part. */
  readonly source: string | undefined;

  constructor(problems: readonly ConfigProblem[], options: { source?: string } = {}) {
    super(formatConfigProblems(problems, options.source));
    this.problems = Object.freeze([...problems]);
    this.source = options.source;
  }
}

function formatConfigProblems(problems: readonly ConfigProblem[], source: string | undefined): string {
  const missing = problems
    .filter((p) => p.kind === 'missing')
    .map((p) => (p.message === '' || p.message === 'is required' ? p.variable : `${p.variable} (${p.message.replace(/^is /, '')})`));
  const parts = [
    ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
    ...problems.filter((p) => p.kind === 'invalid').map((p) => `invalid ${p.variable}: ${p.message}`),
  ];
  const text = parts.length > 0 ? parts.join('; ') : 'invalid configuration';
  return source ? `${source}: ${text}` : text;
}
