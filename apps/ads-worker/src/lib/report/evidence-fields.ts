/**
 * How a recommendation's evidence value reads, by its unit:
 * - `money`: micros of the account currency;
 * - `percent`: a fraction shown as a percentage (`0.333` → `33.3%`);
 * - `multiple`: a ratio shown as a multiple (`3.04` → `3.0×`);
 * - `count`: a whole number (grouped);
 * - `hour`: an hour of the day, 0–24, in the account's time zone (`12` → `12:00`);
 * - `score`: a modified z-score (one decimal);
 * - `number`: anything else (up to 4 significant digits); a string value is shown as given.
 */
export type EvidenceUnit = 'money' | 'percent' | 'multiple' | 'count' | 'hour' | 'score' | 'number';

/** One evidence key's label and unit. */
export interface EvidenceField {
  readonly label: string;
  readonly unit: EvidenceUnit;
}

/**
 * The evidence keys the analysis's rules write (see the rules in `../analysis/rules` and the
 * table in ANALYSIS.md), each with the label the report shows and its unit. A key not listed is
 * shown by {@link evidenceField}'s fallback.
 */
export const EVIDENCE_FIELDS: Readonly<Record<string, EvidenceField>> = Object.freeze({
  costMicros: { label: 'Cost', unit: 'money' },
  costShare: { label: 'Share of account cost', unit: 'percent' },
  clicks: { label: 'Clicks', unit: 'count' },
  campaignCpaMicros: { label: 'Campaign CPA', unit: 'money' },
  accountCpaMicros: { label: 'Account CPA', unit: 'money' },
  cpaRatio: { label: "CPA vs the account's", unit: 'multiple' },
  dailyBudgetMicros: { label: 'Daily budget', unit: 'money' },
  daysAtBudget: { label: 'Days at budget', unit: 'count' },
  daysWithSpend: { label: 'Days with spend', unit: 'count' },
  medianExhaustedHour: { label: 'Budget typically spent by', unit: 'hour' },
  utilisation: { label: 'Budget used', unit: 'percent' },
  startDate: { label: 'First day', unit: 'number' },
  endDate: { label: 'Last day', unit: 'number' },
  days: { label: 'Days', unit: 'count' },
  typicalCpaMicros: { label: 'Typical CPA', unit: 'money' },
  peakCpaMicros: { label: 'Peak CPA', unit: 'money' },
  factor: { label: 'Peak vs typical', unit: 'multiple' },
  score: { label: 'Anomaly score', unit: 'score' },
  lastSpendDate: { label: 'Last day with spend', unit: 'number' },
  daysWithoutSpend: { label: 'Days without spend', unit: 'count' },
  averageDailyCostBeforeMicros: { label: 'Average daily cost before', unit: 'money' },
});

/**
 * The label and unit of evidence key `name`: from {@link EVIDENCE_FIELDS}, else guessed from the
 * key the way the rules name them (the result contract: micros for money, fractions for ratios):
 * `…Micros` → money, `…Share` / `…Rate` / `utilisation` → percent, `…Ratio` / `factor` →
 * multiple, `…Hour` → hour, `days…` / `…Days` → count, else number; the label is the key in
 * words without its unit suffix (`averageOrderValueMicros` → "Average order value").
 */
export function evidenceField(name: string): EvidenceField {
  const known = Object.hasOwn(EVIDENCE_FIELDS, name) ? EVIDENCE_FIELDS[name] : undefined;
  if (known) return known;
  return { label: humanise(name.replace(/Micros$/, '')), unit: guessUnit(name) };
}

function guessUnit(name: string): EvidenceUnit {
  if (/Micros$/.test(name)) return 'money';
  if (/(Share|Rate)$|^(share|rate|utilisation|utilization)$/.test(name)) return 'percent';
  if (/Ratio$|^(ratio|factor)$/.test(name)) return 'multiple';
  if (/Hour$|^hour$/.test(name)) return 'hour';
  if (/^days|Days$|Count$/.test(name)) return 'count';
  return 'number';
}

const ACRONYMS: ReadonlySet<string> = new Set(['cpa', 'cpc', 'cpm', 'ctr', 'cvr', 'roas', 'id']);

/** `camelCase_or_snake` → "Camel case or snake" (an empty key stays empty). */
function humanise(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    // The metrics' acronyms in capitals (`accountCpa` → "Account CPA"); other words lower case.
    .map((word) => (ACRONYMS.has(word.toLowerCase()) || /^[A-Z\d]{2,}$/.test(word) ? word.toUpperCase() : word.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
