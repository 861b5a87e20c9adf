import { seoIssueKindSchema } from '@jobs/queue-contracts';
import { computeSeoScore } from './compute-seo-score';
import { SEO_ISSUE_SEVERITY } from './seo-issue-severity';
import type { SeoIssue } from '@jobs/queue-contracts';

const KINDS = seoIssueKindSchema.options;

const issue = (kind: SeoIssue['kind'], count: number): SeoIssue => ({ kind, severity: SEO_ISSUE_SEVERITY[kind], count, pages: [] });

/** A small deterministic PRNG (mulberry32), so the property test is reproducible. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('computeSeoScore', () => {
  it('is 100 without issues and 0 without any auditable page', () => {
    expect(computeSeoScore({ issues: [], pagesCrawled: 10, auditablePages: 10 })).toBe(100);
    expect(computeSeoScore({ issues: [], pagesCrawled: 0, auditablePages: 0 })).toBe(0);
    expect(computeSeoScore({ issues: [issue('http-error', 3)], pagesCrawled: 3, auditablePages: 0 })).toBe(0);
  });

  it('follows the documented formula', () => {
    // 100 − 20·(2/10) − 8·(5/10) − 2·(10/10) = 100 − 4 − 4 − 2
    const score = computeSeoScore({
      issues: [issue('broken-link', 2), issue('missing-meta-description', 5), issue('missing-canonical', 10)],
      pagesCrawled: 10,
      auditablePages: 9,
    });
    expect(score).toBe(90);
    // Every kind on every page: the penalty exceeds 100, the score stops at 0.
    expect(computeSeoScore({ issues: KINDS.map((k) => issue(k, 10)), pagesCrawled: 10, auditablePages: 10 })).toBe(0);
  });

  it('is monotone: more affected pages or one more issue kind never raise the score', () => {
    const random = prng(42);
    for (let round = 0; round < 2000; round += 1) {
      const pagesCrawled = 1 + Math.floor(random() * 50);
      const issues = KINDS.filter(() => random() < 0.5).map((k) => issue(k, Math.floor(random() * (pagesCrawled + 1))));
      const input = { issues, pagesCrawled, auditablePages: pagesCrawled };
      const before = computeSeoScore(input);
      expect(computeSeoScore(input)).toBe(before); // deterministic
      const worse = issues.map((i) => ({ ...i, count: i.count + (random() < 0.5 ? 1 : 0) }));
      expect(computeSeoScore({ ...input, issues: worse })).toBeLessThanOrEqual(before);
      const missing = KINDS.find((k) => !issues.some((i) => i.kind === k));
      if (missing) {
        expect(computeSeoScore({ ...input, issues: [...issues, issue(missing, 1)] })).toBeLessThanOrEqual(before);
      }
      expect(before).toBeGreaterThanOrEqual(0);
      expect(before).toBeLessThanOrEqual(100);
    }
  });

  it('rejects negative or non-finite inputs', () => {
    expect(() => computeSeoScore({ issues: [issue('noindex', -1)], pagesCrawled: 1, auditablePages: 1 })).toThrow(RangeError);
    expect(() => computeSeoScore({ issues: [], pagesCrawled: Number.NaN, auditablePages: 1 })).toThrow(RangeError);
  });
});
