/**
 * An AbortSignal made only when someone asks for it: `signal` creates the controller on first
 * read; `abort(reason)` aborts it, or, when nobody has read it yet, remembers the reason so a
 * later read gets a signal already aborted with it.
 *
 * Why: Node 20 builds an AbortController in microseconds (an EventTarget each), the largest
 * single cost of a no-op job in the kit's profile, and most handlers never look at their
 * signal. A handler that never read it cannot have been listening, so nothing is lost.
 */
export class LazyAbortSignal {
  private controller: AbortController | undefined;
  private pendingReason: unknown;
  private abortedEarly = false;

  /** The signal, created on first read (already aborted if `abort` came first). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortedEarly) this.controller.abort(this.pendingReason);
    }
    return this.controller.signal;
  }

  /** Whether `abort` has been called. */
  get aborted(): boolean {
    return this.abortedEarly || (this.controller?.signal.aborted ?? false);
  }

  /** Aborts the signal with `reason` (the first reason wins, as with AbortController). */
  abort(reason: unknown): void {
    if (this.controller) {
      this.controller.abort(reason);
      return;
    }
    if (this.abortedEarly) return;
    this.abortedEarly = true;
    this.pendingReason = reason;
  }
}
