/**
 * What a synthetic campaign does on an ordinary day, before noise and faults. Money in micros.
 * `costMicros` is the demand: a campaign whose budget runs out spends its budget instead.
 */
export interface SyntheticCampaignProfile {
  readonly costMicros: number;
  readonly cpaMicros: number;
  /** Cost per 1 000 impressions. */
  readonly cpmMicros: number;
  /** Clicks per impression. */
  readonly ctr: number;
  /** Conversion value per conversion. */
  readonly aovMicros: number;
}

const UNIT = 1_000_000;

function profile(cost: number, cpa: number, cpm: number, ctr: number, aov: number): SyntheticCampaignProfile {
  return Object.freeze({ costMicros: cost * UNIT, cpaMicros: cpa * UNIT, cpmMicros: cpm * UNIT, ctr, aovMicros: aov * UNIT });
}

/**
 * Profiles by `<accountId>/<campaignId>`; a campaign without one never has activity. Chosen so
 * that each fault moves the account's series clearly (or clearly not): the CPA-spike campaign
 * brings about 30–45 % of the account's conversions, the stopping campaign about 30–40 % of its
 * cost at a CPA close to the rest's, and no clean campaign's CPA is far from the account's.
 */
export const SYNTHETIC_CAMPAIGN_PROFILES: Readonly<Record<string, SyntheticCampaignProfile>> = Object.freeze({
  '1234567890/21000000001': profile(400, 3, 18, 0.08, 55),
  '1234567890/21000000002': profile(400, 5, 22, 0.04, 70),
  '1234567890/21000000003': profile(260, 3.2, 12, 0.015, 48),
  '1234567890/21000000004': profile(150, 5, 6, 0.006, 40),
  '9876543210/22000000001': profile(500, 10, 25, 0.05, 45),
  '9876543210/22000000002': profile(300, 12, 15, 0.02, 50),
  '9876543210/22000000003': profile(150, 6, 8, 0.004, 25),
  'act_1234567890/23851000000000001': profile(700, 4, 14, 0.012, 30),
  'act_1234567890/23851000000000002': profile(450, 3.5, 20, 0.02, 32),
  'act_1234567890/23851000000000003': profile(330, 3.2, 11, 0.015, 28),
  'act_1234567890/23851000000000004': profile(120, 6, 5, 0.008, 26),
  'act_9876543210/23852000000000001': profile(400, 8, 9, 0.011, 40),
  'act_9876543210/23852000000000002': profile(180, 6, 16, 0.018, 38),
  'act_9876543210/23852000000000003': profile(250, 7, 10, 0.014, 42),
});
