import type { ActorRuns } from '../lib/actor-runs';
import type { BatchStateStore } from '../lib/batch-state-store';

/** What the `LEAD_ENRICHMENT` handler and its steps work with. */
export interface LeadEnrichmentDeps {
  readonly actor: ActorRuns;
  readonly batches: BatchStateStore;
  /** Apify's `timeout` of one run (s); a run still going after it (plus a minute) is aborted here. */
  readonly runTimeoutSecs: number;
  /** Apify's `memory` of one run (MB), or null for the actor's default. */
  readonly runMemoryMbytes: number | null;
  /** Wait after repeated 429s (ms). */
  readonly throttleDelayMs: number;
}
