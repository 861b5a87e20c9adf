import { setFlagsFromString } from 'node:v8';
import { CliError } from '../cli-error';
import { EXIT_CODES } from '../exit-codes';

/**
 * How many characters of a `failedReason` an `--error-matches` pattern is run against.
 * Failure messages say what went wrong in their first lines, so 1 000 characters keep every
 * useful match while bounding the work of a pattern that backtracks (see {@link parseErrorPattern}).
 */
export const ERROR_MATCH_TEXT_LIMIT = 1_000;

/** The longest `--error-matches` pattern accepted, in characters (a pattern is typed, not generated). */
export const ERROR_PATTERN_MAX_LENGTH = 500;

/** An `--error-matches` pattern, ready to test failure reasons with. */
export interface ErrorPattern {
  /** The pattern as typed (for summaries and JSON output). */
  readonly source: string;
  /** True when the pattern runs on V8's linear-time engine (no catastrophic backtracking possible). */
  readonly linear: boolean;
  /**
   * Whether `failedReason` matches: the regex (no flags: case-sensitive, write `[Tt]imeout` for
   * either case) run on the reason's first {@link ERROR_MATCH_TEXT_LIMIT} characters. A missing
   * reason never matches.
   */
  test(failedReason: string | null | undefined): boolean;
}

/**
 * Reads an `--error-matches` value as a JavaScript regular expression (no flags).
 *
 * Guard against catastrophic patterns: JavaScript regexes have no time limit and run on the
 * event loop, so `(a+)+$` on a long reason would freeze the CLI — Ctrl-C included. Two bounds:
 * 1. the pattern runs on V8's linear-time regexp engine (the `l` flag; Node 20's V8 has it behind
 *    `--enable-experimental-regexp-engine`, set here on first use — it only makes the flag
 *    available and changes no other regex) whenever the pattern allows it, i.e. has no
 *    back-references or lookarounds;
 * 2. the text matched is cut to {@link ERROR_MATCH_TEXT_LIMIT} characters, which bounds
 *    polynomial backtracking of the patterns the linear engine cannot run.
 * @throws CliError (usage) naming `--error-matches` when the pattern is empty, longer than
 *   {@link ERROR_PATTERN_MAX_LENGTH}, or not a valid regular expression.
 */
export function parseErrorPattern(value: string, option = '--error-matches'): ErrorPattern {
  if (value.length === 0) throw new CliError(EXIT_CODES.usage, `${option}: the pattern is empty`);
  if (value.length > ERROR_PATTERN_MAX_LENGTH) {
    throw new CliError(EXIT_CODES.usage, `${option}: the pattern is ${value.length} characters long, at most ${ERROR_PATTERN_MAX_LENGTH} are accepted`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(EXIT_CODES.usage, `${option}: "${value}" is not a valid regular expression (${reason})`, { cause: error });
  }
  const linear = linearRegExp(value);
  const matcher = linear ?? regex;
  return Object.freeze({
    source: value,
    linear: linear !== undefined,
    test(failedReason: string | null | undefined): boolean {
      if (failedReason === null || failedReason === undefined) return false;
      return matcher.test(failedReason.slice(0, ERROR_MATCH_TEXT_LIMIT));
    },
  });
}

let linearEngineEnabled = false;

/** `value` compiled for the linear-time engine, or undefined when the pattern or the runtime does not allow it. */
function linearRegExp(value: string): RegExp | undefined {
  if (!linearEngineEnabled) {
    setFlagsFromString('--enable-experimental-regexp-engine');
    linearEngineEnabled = true;
  }
  try {
    // eslint-disable-next-line no-invalid-regexp -- `l` is V8's linear-engine flag, made available above
    return new RegExp(value, 'l');
  } catch {
    // "Cannot be executed in linear time" (back-references, lookarounds) or a runtime without the flag.
    return undefined;
  }
}
