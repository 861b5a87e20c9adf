import { CliError } from '../cli-error';
import { EXIT_CODES } from '../exit-codes';
import { ERROR_MATCH_TEXT_LIMIT, parseErrorPattern } from './parse-error-pattern';

describe('parseErrorPattern', () => {
  it('matches failure reasons by a regular expression, case-sensitive, never a missing reason', () => {
    const pattern = parseErrorPattern('^HTTP 5\\d\\d');
    expect(pattern.test('HTTP 503 from provider')).toBe(true);
    expect(pattern.test('HTTP 404 from provider')).toBe(false);
    expect(pattern.test('http 503')).toBe(false);
    expect(pattern.test(null)).toBe(false);
  });

  it('refuses an invalid pattern naming the option, with the usage exit code', () => {
    const attempt = () => parseErrorPattern('timeout (after');
    expect(attempt).toThrow(CliError);
    expect(attempt).toThrow(/^--error-matches: "timeout \(after" is not a valid regular expression/);
    try {
      attempt();
    } catch (error) {
      expect((error as CliError).exitCode).toBe(EXIT_CODES.usage);
    }
    expect(() => parseErrorPattern('')).toThrow(/--error-matches: the pattern is empty/);
    expect(() => parseErrorPattern('a'.repeat(501))).toThrow(/--error-matches: the pattern is 501 characters long/);
  });

  it('looks only at the first ERROR_MATCH_TEXT_LIMIT characters of a reason', () => {
    const pattern = parseErrorPattern('NEEDLE');
    expect(pattern.test(`${'x'.repeat(ERROR_MATCH_TEXT_LIMIT - 6)}NEEDLE`)).toBe(true);
    expect(pattern.test(`${'x'.repeat(ERROR_MATCH_TEXT_LIMIT)}NEEDLE`)).toBe(false);
  });

  it('runs a catastrophic pattern in linear time instead of freezing (this test hangs on a backtracking engine)', () => {
    const pattern = parseErrorPattern('(a+)+$');
    // The whole reason would take ~2^900 steps with backtracking; the cut alone would not save it.
    expect(pattern.test(`${'a'.repeat(900)}!`)).toBe(false);
    expect(pattern.test('aaaa')).toBe(true);
    expect(parseErrorPattern('(x+x+)+y').test('x'.repeat(ERROR_MATCH_TEXT_LIMIT))).toBe(false);
  });

  it('refuses back-references and lookarounds (RE2 syntax), with the usage exit code; (?i) works', () => {
    expect(() => parseErrorPattern('(\\w+) \\1')).toThrow(/--error-matches: .* is not a valid regular expression \(.*RE2 syntax: no back-references or lookarounds\)/);
    expect(() => parseErrorPattern('(?<=code )42')).toThrow(CliError);
    expect(parseErrorPattern('(?i)timeout').test('Request TIMEOUT')).toBe(true);
  });
});
