import { redactSecrets } from '../redact-secrets';
import { maskSecrets } from './mask-secrets';
import { maskSecretsInText } from './mask-secrets-in-text';

// 2 MiB inputs built to make a backtracking pattern re-read long runs from each of their
// positions (the old URL-credential pattern took ~5 s on 100 KB of `a.`, and grows with the
// square). Durations are printed, not asserted (they depend on the machine and its load); a
// quadratic pattern would not finish within the test's timeout at this size.
const MIB2 = 2 * 1024 * 1024;
const fill = (unit: string): string => unit.repeat(Math.floor(MIB2 / unit.length));
const R = '[redacted]';

// Each check answers true or a short description, so a failure does not print 2 MiB.
type Check = (masked: string, input: string) => true | string;
const unchanged: Check = (m, i) => m === i || `changed at ${[...m].findIndex((c, k) => c !== i[k])}: ${m.slice(0, 80)}`;
const is =
  (expected: string): Check =>
  (m) =>
    m === expected || `${m.length} chars: ${m.slice(0, 80)}`;
const startsWith =
  (head: string, absent: RegExp): Check =>
  (m) =>
    (m.startsWith(head) && !absent.test(m)) || `${m.length} chars: ${m.slice(0, 80)}`;

const CASES: readonly [string, string, Check][] = [
  ['a.', fill('a.'), unchanged],
  ['a-', fill('a-'), unchanged],
  ['@', fill('@'), unchanged],
  ['://', fill('://'), unchanged],
  ['a. then ://x:y@', `${fill('a.')}://x:y@h`, unchanged],
  ['a://b:', fill('a://b:'), unchanged],
  ['long base64', fill('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIz+/'), unchanged],
  ['Bearer ', fill('Bearer '), startsWith(`Bearer ${R} Bearer ${R} `, /Bearer Bearer/)],
  ['Bearer + 2 MiB of spaces', `Bearer${' '.repeat(MIB2)}!`, unchanged],
  ['eyJ-', fill('eyJ-'), unchanged],
  ['eyJaaaaa.', fill('eyJaaaaa.'), startsWith(`${R}.${R}.`, /eyJaaaaa\.eyJaaaaa\.eyJ/)],
  ['sk-', fill('sk-'), is(R)],
  ['a:', fill('a:'), unchanged],
  ['a=', fill('a='), unchanged],
  ['63-char key + :', fill(`${'k'.repeat(63)}:`), unchanged],
  ['password=', fill('password='), is(`password=${R}`)],
  ['"password":"', fill('"password":"'), unchanged],
  ['password: [redacted] ', fill(`password: ${R} `), unchanged],
  ['-----BEGIN … PRIVATE KEY-----', fill('-----BEGIN RSA PRIVATE KEY-----'), is(R)],
  ['?key=&', fill('?key=&'), unchanged],
];

const times: string[] = [];
afterAll(() => console.log(`masking 2 MiB adversarial strings (ms):\n${times.join('\n')}`));

describe.each([
  ['maskSecretsInText', (text: string) => maskSecretsInText(text)],
  // Its mask is `***`: the inputs' `[redacted]` are written as it would have written them.
  ['redactSecrets', (text: string) => redactSecrets(text.split(R).join('***')).split('***').join(R)],
  ['maskSecrets', (text: string) => (maskSecrets({ data: { note: text } }) as { data: { note: string } }).data.note],
])('%s on 2 MiB adversarial strings', (name, mask) => {
  it.each(CASES)('%s', (label, input, check) => {
    const started = performance.now();
    const masked = mask(input);
    times.push(`${name.padEnd(18)} ${label.padEnd(30)} ${(performance.now() - started).toFixed(0)}`);
    expect(check(masked, input)).toBe(true);
  }, 60_000);
});
