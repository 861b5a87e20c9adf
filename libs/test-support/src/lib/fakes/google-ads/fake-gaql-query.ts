import { fakeGoogleAdsErrors } from './fake-google-ads-error';

/** One WHERE condition: `field op value(s)`; BETWEEN has two values, IN a list, the others one. */
export interface FakeGaqlCondition {
  readonly field: string;
  readonly operator: '=' | '!=' | '>' | '>=' | '<' | '<=' | 'IN' | 'NOT IN' | 'BETWEEN';
  readonly values: readonly (string | number)[];
}

/** A parsed Google Ads Query Language query (the subset the fake serves). */
export interface FakeGaqlQuery {
  /** Selected fields as written, snake_case, e.g. `metrics.cost_micros`. */
  readonly select: readonly string[];
  /** The FROM resource, e.g. `campaign`. */
  readonly from: string;
  /** Conditions joined by AND (GAQL has no OR). */
  readonly where: readonly FakeGaqlCondition[];
  readonly orderBy: readonly { readonly field: string; readonly descending: boolean }[];
  readonly limit: number | null;
}

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'number'; value: number } | { kind: 'symbol'; text: string };

const WORD = /[A-Za-z_][A-Za-z0-9_.]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const SPACE = /\s+/y;

/**
 * Parses `SELECT f, … FROM resource [WHERE c AND …] [ORDER BY f [ASC|DESC], …] [LIMIT n]`
 * with conditions `=`, `!=`, `>`, `>=`, `<`, `<=`, `IN (…)`, `NOT IN (…)`, `BETWEEN a AND b`
 * on single- or double-quoted strings and numbers — the grammar of
 * https://developers.google.com/google-ads/api/docs/query/grammar, less `LIKE`, `CONTAINS`,
 * `DURING`, `IS NULL`, `REGEXP_MATCH` and `PARAMETERS`.
 * @throws FakeGoogleAdsError 400 `queryError` (e.g. `EXPECTED_SELECT`, `EXPECTED_FROM`,
 *   `BAD_OPERATOR`, `UNEXPECTED_END_OF_QUERY`) naming what it met.
 */
export function parseFakeGaql(text: string): FakeGaqlQuery {
  const tokens = tokenize(text);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isWord = (word: string): boolean => {
    const t = peek();
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  };
  const expectWord = (word: string, code: string): void => {
    if (!isWord(word)) throw fakeGoogleAdsErrors.queryError(code, `Error in query: expected ${word}.`);
    at++;
  };
  const field = (): string => {
    const t = tokens[at++];
    if (t?.kind !== 'word') throw fakeGoogleAdsErrors.queryError(t ? 'UNEXPECTED_INPUT' : 'UNEXPECTED_END_OF_QUERY', 'Error in query: expected a field name.');
    return t.text;
  };
  const symbol = (text: string): boolean => {
    const t = peek();
    if (t?.kind === 'symbol' && t.text === text) {
      at++;
      return true;
    }
    return false;
  };
  const literal = (): string | number => {
    const t = tokens[at++];
    if (t?.kind === 'string') return t.text;
    if (t?.kind === 'number') return t.value;
    if (t?.kind === 'word' && /^[A-Z_]+$/.test(t.text)) return t.text; // enum constant, e.g. ENABLED
    throw fakeGoogleAdsErrors.queryError(t ? 'BAD_VALUE' : 'UNEXPECTED_END_OF_QUERY', 'Error in query: expected a value.');
  };

  expectWord('SELECT', 'EXPECTED_SELECT');
  const select = [field()];
  while (symbol(',')) select.push(field());
  expectWord('FROM', 'EXPECTED_FROM');
  const from = field();
  const where: FakeGaqlCondition[] = [];
  if (isWord('WHERE')) {
    at++;
    do where.push(condition()); while (isWord('AND') && ++at);
  }
  const orderBy: { field: string; descending: boolean }[] = [];
  if (isWord('ORDER')) {
    at++;
    expectWord('BY', 'EXPECTED_BY');
    do {
      const name = field();
      let descending = false;
      if (isWord('DESC') || isWord('ASC')) descending = (tokens[at++] as { text: string }).text.toUpperCase() === 'DESC';
      orderBy.push({ field: name, descending });
    } while (symbol(','));
  }
  let limit: number | null = null;
  if (isWord('LIMIT')) {
    at++;
    const t = tokens[at++];
    if (t?.kind !== 'number' || !Number.isInteger(t.value) || t.value < 1) throw fakeGoogleAdsErrors.queryError('BAD_LIMIT_VALUE', 'Error in query: LIMIT must be a positive integer.');
    limit = t.value;
  }
  if (at < tokens.length) throw fakeGoogleAdsErrors.queryError('UNEXPECTED_INPUT', `Error in query: unexpected input ${JSON.stringify(describe(tokens[at]))}.`);
  return { select, from, where, orderBy, limit };

  function condition(): FakeGaqlCondition {
    const name = field();
    if (isWord('BETWEEN')) {
      at++;
      const low = literal();
      expectWord('AND', 'EXPECTED_AND');
      return { field: name, operator: 'BETWEEN', values: [low, literal()] };
    }
    let operator: FakeGaqlCondition['operator'] | undefined;
    if (isWord('NOT')) {
      at++;
      expectWord('IN', 'BAD_OPERATOR');
      operator = 'NOT IN';
    } else if (isWord('IN')) {
      at++;
      operator = 'IN';
    }
    if (operator) {
      if (!symbol('(')) throw fakeGoogleAdsErrors.queryError('EXPECTED_LIST', 'Error in query: IN expects a list.');
      const values = [literal()];
      while (symbol(',')) values.push(literal());
      if (!symbol(')')) throw fakeGoogleAdsErrors.queryError('EXPECTED_LIST', 'Error in query: unclosed list.');
      return { field: name, operator, values };
    }
    const t = tokens[at++];
    if (t?.kind !== 'symbol' || !['=', '!=', '>', '>=', '<', '<='].includes(t.text)) {
      throw fakeGoogleAdsErrors.queryError('BAD_OPERATOR', 'Error in query: invalid operator.');
    }
    return { field: name, operator: t.text as FakeGaqlCondition['operator'], values: [literal()] };
  }
}

function describe(token: Token | undefined): string {
  if (!token) return '';
  return token.kind === 'number' ? String(token.value) : token.text;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    i = re.lastIndex;
    return m[0];
  };
  while (i < text.length) {
    if (sticky(SPACE) !== undefined) continue;
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw fakeGoogleAdsErrors.queryError('UNEXPECTED_END_OF_QUERY', 'Error in query: unterminated string.');
      tokens.push({ kind: 'string', text: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '>=' || two === '<=' || two === '!=') {
      tokens.push({ kind: 'symbol', text: two });
      i += 2;
      continue;
    }
    if ('(),=<>'.includes(c)) {
      tokens.push({ kind: 'symbol', text: c });
      i++;
      continue;
    }
    const number = sticky(NUMBER);
    if (number !== undefined) {
      tokens.push({ kind: 'number', value: Number(number) });
      continue;
    }
    const word = sticky(WORD);
    if (word !== undefined) {
      tokens.push({ kind: 'word', text: word });
      continue;
    }
    throw fakeGoogleAdsErrors.queryError('BAD_SYMBOL', `Error in query: unexpected character ${JSON.stringify(c)}.`);
  }
  return tokens;
}
