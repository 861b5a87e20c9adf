import { clientAddressKey } from './client-address-key';

/** What {@link RefusedWriteLogLimit.admit} decided for one refused write. */
export interface RefusedWriteLogDecision {
  /** Whether to write the log line. */
  readonly log: boolean;
  /** Lines left out for this address in its previous window (0 when none); reported on the next line written. */
  readonly suppressed: number;
}

interface Window {
  startedAt: number;
  logged: number;
  suppressed: number;
}

/**
 * Bounds the `dashboard write refused` lines per client address (an IPv6 address counts as its
 * /64, see `clientAddressKey`): at most `maxLines` per `windowMs` (default 10 per 60 000 ms);
 * further refusals in the window are only counted, and the first line of a later window carries
 * that count, so a flood of forged writes costs a few lines a minute instead of one per request.
 * At most `maxKeys` addresses (default 10 000) are remembered; the oldest is dropped first.
 * In this process's memory: a log budget, nothing that must be shared between replicas.
 */
export class RefusedWriteLogLimit {
  private readonly windows = new Map<string, Window>();
  private readonly maxLines: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: { maxLines?: number; windowMs?: number; maxKeys?: number; now?: () => number } = {}) {
    this.maxLines = options.maxLines ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Counts one refused write from `ip` and says whether to log it. */
  admit(ip: string): RefusedWriteLogDecision {
    const key = clientAddressKey(ip);
    const now = this.now();
    let window = this.windows.get(key);
    let carried = 0;
    if (window !== undefined && now - window.startedAt >= this.windowMs) {
      carried = window.suppressed;
      this.windows.delete(key);
      window = undefined;
    }
    if (window === undefined) {
      if (this.windows.size >= this.maxKeys) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
      window = { startedAt: now, logged: 0, suppressed: 0 };
      this.windows.set(key, window);
    }
    if (window.logged >= this.maxLines) {
      window.suppressed += 1;
      return { log: false, suppressed: 0 };
    }
    window.logged += 1;
    return { log: true, suppressed: carried };
  }
}
