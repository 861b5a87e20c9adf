import { formatMicros } from '../format-money';
import type { RecommendationRule } from './recommendation-rule';

/**
 * `cpa-spike`: one recommendation per run of days on which a campaign's daily CPA was anomalously
 * high (a campaign-level `cpa` anomaly, direction `up`). Evidence: `startDate`, `endDate`,
 * `days`, `typicalCpaMicros` (the series' median), `peakCpaMicros`, `factor` (peak / typical),
 * `score` (modified z-score). The account's own CPA anomalies are left out: they repeat a
 * campaign's, or are spread over campaigns with no one place to look.
 */
export const cpaSpikeRule: RecommendationRule = {
  id: 'cpa-spike',
  evaluate(context) {
    return context.anomalies
      .filter((a) => a.campaignId !== null && a.metric === 'cpa' && a.direction === 'up')
      .map((anomaly) => {
        const name = context.campaigns.find((c) => c.summary.campaignId === anomaly.campaignId)?.summary.name ?? anomaly.campaignId;
        const factor = anomaly.expected === 0 ? null : anomaly.observed / anomaly.expected;
        const when = anomaly.days === 1 ? `on ${anomaly.startDate}` : `from ${anomaly.startDate} to ${anomaly.endDate}`;
        const peak = formatMicros(anomaly.observed, context.currency);
        const typical = formatMicros(anomaly.expected, context.currency);
        return {
          rule: 'cpa-spike',
          campaignId: anomaly.campaignId,
          title: `Cost per conversion of "${name}" jumped ${when}`,
          reason:
            `The daily CPA reached ${peak} against a typical ${typical} (${factor === null ? 'from zero' : `×${factor.toFixed(1)}`}) ` +
            `${when}. Check what changed then: conversion tracking, bids or bid strategy, targeting, ads or the landing page.`,
          evidence: {
            startDate: anomaly.startDate,
            endDate: anomaly.endDate,
            days: anomaly.days,
            typicalCpaMicros: anomaly.expected,
            peakCpaMicros: anomaly.observed,
            factor,
            score: anomaly.score,
          },
        };
      });
  },
};
