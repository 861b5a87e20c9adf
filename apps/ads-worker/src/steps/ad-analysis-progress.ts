/** The phases of an `AD_ANALYSIS` job, in order, as `job.progress.phase` names them. */
export const AD_ANALYSIS_PHASES = Object.freeze([
  'account',
  'campaigns',
  'current-period',
  'previous-period',
  'hourly-cost',
  'analysis',
  'report',
] as const);

/** One phase's name. */
export type AdAnalysisPhase = (typeof AD_ANALYSIS_PHASES)[number];

/**
 * What the job's progress says while it runs: the phase it is in and a rough percentage
 * (phases done out of all, 0–100), e.g. `{ phase: 'previous-period', percent: 43 }`.
 */
export interface AdAnalysisProgress {
  readonly phase: AdAnalysisPhase;
  readonly percent: number;
}

/** The progress object for the start of `phase`. */
export function adAnalysisProgress(phase: AdAnalysisPhase): AdAnalysisProgress {
  return { phase, percent: Math.round((AD_ANALYSIS_PHASES.indexOf(phase) / AD_ANALYSIS_PHASES.length) * 100) };
}
