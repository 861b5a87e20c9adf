import { EXIT_CODES, type ExitCode } from './exit-codes';
import { CliError } from './cli-error';

/** What happened to one job id of a command that acts on several (`promote`, `remove`). */
export type JobOutcome = { readonly id: string; readonly ok: true } | { readonly id: string; readonly ok: false; readonly code: ExitCode; readonly reason: string };

/**
 * Reports per-id outcomes: each failure as a line on stderr, then a summary (`promoted 2 of 3`).
 * @throws CliError when any failed: with that failure's code when all failures share it
 *   (notFound, conflict), else partialFailure; a CliError with the summary as message.
 */
export function settleJobOutcomes(stderr: NodeJS.WritableStream, verb: string, outcomes: readonly JobOutcome[]): void {
  const failures = outcomes.filter((o): o is Extract<JobOutcome, { ok: false }> => !o.ok);
  for (const f of failures) stderr.write(`jobs-cli: ${f.id}: ${f.reason}\n`);
  const summary = `${verb} ${outcomes.length - failures.length} of ${outcomes.length} job(s)`;
  if (failures.length === 0) return;
  const codes = new Set(failures.map((f) => f.code));
  const [only] = codes;
  const code: ExitCode = codes.size === 1 && only !== undefined ? only : EXIT_CODES.partialFailure;
  throw new CliError(code, summary);
}
