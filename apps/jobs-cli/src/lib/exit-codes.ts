/**
 * Exit codes of the `jobs-cli` command, so scripts can tell what happened without parsing text.
 * Documented in the README's "The `jobs-cli` command" section; keep the two in step.
 */
export const EXIT_CODES = {
  /** The command did what was asked (a read found what it looked for; a change was made, or a dry run listed it). */
  ok: 0,
  /** The command ran but part of the work failed (e.g. some jobs of a bulk retry could not be moved). */
  partialFailure: 1,
  /** Bad usage: an unknown command or option, a bad argument, job data refused by its contract. Nothing was changed. */
  usage: 2,
  /** The job the command names does not exist (no such job id in the queue). An unknown queue name is bad usage: 2. */
  notFound: 3,
  /**
   * Redis could not be reached, or did not answer in time. Nothing was changed, unless the
   * command says it had started: then the report printed so far is what was done (`retry` /
   * `redrive` print their report of the jobs moved before Redis went away).
   */
  redisUnavailable: 4,
  /** The user declined a confirmation (`drain`, `clean`, `promote --all`) or it could not be asked (no TTY, no `--yes`). Nothing was changed. */
  aborted: 5,
  /** The job or queue is not in a state that allows the change (e.g. `promote` of a job that is not delayed). */
  conflict: 6,
} as const;

/** One of {@link EXIT_CODES}' values. */
export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
