import { analyseAdAccount } from '../analysis';
import { syntheticAccount, syntheticAnalysisInput } from '../analysis/test-support/synthetic-analysis-input';
import { EVIDENCE_FIELDS, evidenceField } from './evidence-fields';

describe('evidenceField', () => {
  it('names every evidence key the rules write for the faulty synthetic accounts (none falls back to a guess)', () => {
    const keys = new Set<string>();
    for (const [platform, accountId] of [
      ['google', '1234567890'],
      ['meta', 'act_1234567890'],
    ] as const) {
      const analysis = analyseAdAccount(syntheticAnalysisInput(syntheticAccount(platform, accountId), { start: '2024-01-01', end: '2024-01-31' }));
      for (const r of analysis.allRecommendations) for (const key of Object.keys(r.evidence)) keys.add(key);
    }
    expect([...keys].filter((key) => !Object.hasOwn(EVIDENCE_FIELDS, key))).toEqual([]);
    // The three injected faults give at least the budget, CPA-spike and stopped-spending rules' evidence.
    for (const key of ['typicalCpaMicros', 'utilisation', 'medianExhaustedHour', 'daysAtBudget', 'lastSpendDate']) expect(keys.has(key)).toBe(true);
  });

  it('gives the known keys readable labels and their units', () => {
    expect(evidenceField('typicalCpaMicros')).toEqual({ label: 'Typical CPA', unit: 'money' });
    expect(evidenceField('utilisation')).toEqual({ label: 'Budget used', unit: 'percent' });
    expect(evidenceField('costShare')).toEqual({ label: 'Share of account cost', unit: 'percent' });
    expect(evidenceField('cpaRatio').unit).toBe('multiple');
    expect(evidenceField('medianExhaustedHour')).toEqual({ label: 'Budget typically spent by', unit: 'hour' });
    expect(evidenceField('daysWithoutSpend')).toEqual({ label: 'Days without spend', unit: 'count' });
  });

  it('humanises an unknown key and guesses its unit from how the rules name them', () => {
    expect(evidenceField('averageOrderValueMicros')).toEqual({ label: 'Average order value', unit: 'money' });
    expect(evidenceField('accountCtr')).toEqual({ label: 'Account CTR', unit: 'number' });
    expect(evidenceField('conversionRate')).toEqual({ label: 'Conversion rate', unit: 'percent' });
    expect(evidenceField('spendRatio')).toEqual({ label: 'Spend ratio', unit: 'multiple' });
    expect(evidenceField('peakHour')).toEqual({ label: 'Peak hour', unit: 'hour' });
    expect(evidenceField('daysPaused')).toEqual({ label: 'Days paused', unit: 'count' });
    expect(evidenceField('snake_case_key')).toEqual({ label: 'Snake case key', unit: 'number' });
    // Not a property of Object.prototype.
    expect(evidenceField('toString')).toEqual({ label: 'To string', unit: 'number' });
  });
});
