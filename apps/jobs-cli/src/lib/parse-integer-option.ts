import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/**
 * A commander argument parser for a whole-number option (`--limit 20`), refusing anything
 * else, and numbers below `min` or above `max`.
 * @param option - the option's name, for the error (`--limit`).
 * @returns a parser that throws CliError (usage) naming the option and the accepted range.
 */
export function parseIntegerOption(option: string, min = 0, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
      throw new CliError(EXIT_CODES.usage, `${option}: "${value}" is not ${range}`);
    }
    return n;
  };
}
