/**
 * The page cap shared by concurrent crawl tasks. A task reserves a slot before fetching a URL
 * and then reports whether the URL turned out to be a page: pages keep their slot, anything else
 * (a non-HTML file, a redirect out of the site ...) gives it back. When every slot is taken by
 * pages or by fetches still in flight, a reservation waits for one of those to settle, so the cap
 * is exact without fetching more than it allows.
 */
export class PageBudget {
  private pages = 0;
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  /** @param cap - most pages, an integer >= 0. */
  constructor(readonly cap: number) {}

  /** Pages recorded so far. */
  get pagesRecorded(): number {
    return this.pages;
  }

  /**
   * Reserves a slot for one fetch. Resolves `true` when reserved (call {@link settle} once
   * afterwards) or `false` when the cap is reached for good.
   */
  async reserve(): Promise<boolean> {
    for (;;) {
      if (this.pages + this.inFlight < this.cap) {
        this.inFlight += 1;
        return true;
      }
      if (this.inFlight === 0) return false;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Ends a reservation: `isPage` keeps the slot, otherwise it is freed. */
  settle(isPage: boolean): void {
    this.inFlight -= 1;
    if (isPage) this.pages += 1;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
