import { RE2JS } from 're2js';
import { CliError } from '../cli-error';
import { EXIT_CODES } from '../exit-codes';

/**
 * How many characters of a `failedReason` an `--error-matches` pattern is run against.
 * Failure messages say what went wrong in their first lines; the cut keeps the work per job
 * small when reasons carry long stack traces or response bodies.
 */
export const ERROR_MATCH_TEXT_LIMIT = 1_000;

/** The longest `--error-matches` pattern accepted, in characters (a pattern is typed, not generated). */
export const ERROR_PATTERN_MAX_LENGTH = 500;

/** An `--error-matches` pattern, ready to test failure reasons with. */
export interface ErrorPattern {
  /** The pattern as typed (for summaries and JSON output). */
  readonly source: string;
  /**
   * Whether `failedReason` matches: the pattern (RE2 syntax, case-sensitive; write `[Tt]imeout`
   * or `(?i)timeout` for either case) found anywhere in the reason's first
   * {@link ERROR_MATCH_TEXT_LIMIT} characters. A missing reason never matches.
   */
  test(failedReason: string | null | undefined): boolean;
}

/**
 * Reads an `--error-matches` value as an RE2 regular expression (re2js, a pure-JavaScript port of
 * Google's RE2). Why not `new RegExp`: JavaScript regexes backtrack with no time limit on the
 * event loop, so `(a+)+$` on a long reason would freeze the CLI — Ctrl-C included. RE2 matches in
 * time linear in the text for every pattern it accepts; its syntax is the familiar one
 * (`^HTTP 5\d\d`, `[Tt]imeout`, `a|b`, `(?i)`) without back-references and lookarounds, which
 * are what make backtracking necessary. (V8's own linear engine needs a command-line flag that
 * Node does not support setting at run time.)
 * @throws CliError (usage) naming `--error-matches` when the pattern is empty, longer than
 *   {@link ERROR_PATTERN_MAX_LENGTH}, or not valid RE2 (the message says why, e.g. a back-reference).
 */
export function parseErrorPattern(value: string, option = '--error-matches'): ErrorPattern {
  if (value.length === 0) throw new CliError(EXIT_CODES.usage, `${option}: the pattern is empty`);
  if (value.length > ERROR_PATTERN_MAX_LENGTH) {
    throw new CliError(EXIT_CODES.usage, `${option}: the pattern is ${value.length} characters long, at most ${ERROR_PATTERN_MAX_LENGTH} are accepted`);
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      EXIT_CODES.usage,
      `${option}: "${value}" is not a valid regular expression (${reason}; RE2 syntax: no back-references or lookarounds)`,
      { cause: error },
    );
  }
  return Object.freeze({
    source: value,
    test(failedReason: string | null | undefined): boolean {
      if (failedReason === null || failedReason === undefined) return false;
      return compiled.matcher(failedReason.slice(0, ERROR_MATCH_TEXT_LIMIT)).find();
    },
  });
}
