/** Where an item sits in a {@link MessageIndex}: by internalDate, ties broken by insertion number. */
export interface IndexKey {
  readonly internalDate: number;
  readonly seq: number;
}

const compareKeys = (a: IndexKey, b: IndexKey): number => a.internalDate - b.internalDate || a.seq - b.seq;

/** One page request, newest first. */
export interface IndexPageRequest<T> {
  /** Continue below this key (the last item of the previous page); the start when absent. */
  readonly olderThan?: IndexKey;
  /** Only items with internalDate >= this (ms). */
  readonly minInternalDate?: number;
  /** Only items with internalDate < this (ms). */
  readonly maxInternalDate?: number;
  /** Items per page, >= 1. */
  readonly limit: number;
  /** Filter applied while scanning; an index has no secondary keys. */
  readonly accept: (item: T) => boolean;
}

/** One page of a {@link MessageIndex}. */
export interface IndexPage<T> {
  readonly items: readonly T[];
  /** Key to pass as `olderThan` for the next page; absent on the last page. */
  readonly next?: IndexKey;
  /**
   * Gmail's `resultSizeEstimate`, computed cheaply: exact when one page held the whole result,
   * else the number of items in the date range before label filtering (exact without filters).
   */
  readonly estimate: number;
}

/**
 * Items ordered by (internalDate, seq), paged newest first in O(log n + scanned) per page.
 *
 * Kept as one ascending array: appending in date order (the usual case, and a benchmark's) is a
 * push; an out-of-order add only marks the array for one sort before the next read. A page
 * resumes from a key, not a position, so adds and removes between pages neither skip nor repeat
 * items.
 */
export class MessageIndex<T extends IndexKey> {
  #items: T[] = [];
  #sorted = true;

  /** Number of items. */
  get size(): number {
    return this.#items.length;
  }

  /** Adds `item`: O(1). */
  add(item: T): void {
    const last = this.#items[this.#items.length - 1];
    if (last && compareKeys(item, last) < 0) this.#sorted = false;
    this.#items.push(item);
  }

  /** Removes `item` if present: O(log n) search plus the array shift. */
  remove(item: T): boolean {
    const items = this.#ordered();
    const at = this.#lowerBound(item);
    if (items[at] !== item) return false;
    items.splice(at, 1);
    return true;
  }

  /** Every item, newest first (a copy). */
  newestFirst(): T[] {
    return [...this.#ordered()].reverse();
  }

  /** One page, newest first; see {@link IndexPageRequest}. */
  page(request: IndexPageRequest<T>): IndexPage<T> {
    const items = this.#ordered();
    const rangeHigh =
      request.maxInternalDate === undefined ? items.length : this.#lowerBound({ internalDate: request.maxInternalDate, seq: -Infinity });
    const high = request.olderThan ? Math.min(rangeHigh, this.#lowerBound(request.olderThan)) : rangeHigh;
    const low =
      request.minInternalDate === undefined ? 0 : this.#lowerBound({ internalDate: request.minInternalDate, seq: -Infinity });
    const page: T[] = [];
    let i = high - 1;
    for (; i >= low && page.length < request.limit; i--) {
      if (request.accept(items[i])) page.push(items[i]);
    }
    const last = page[page.length - 1];
    const finalPage = (): IndexPage<T> => ({ items: page, estimate: request.olderThan ? Math.max(0, rangeHigh - low) : page.length });
    const more = (): IndexPage<T> => ({ items: page, next: last, estimate: Math.max(0, rangeHigh - low) });
    if (page.length < request.limit || !last || i < low) return finalPage();
    // Look a page ahead for one more match, so an exact last page carries no token; past that,
    // hand out a token anyway (as Gmail does) rather than scan the whole mailbox.
    const stop = Math.max(low, i - request.limit);
    for (let j = i; j >= stop; j--) {
      if (request.accept(items[j])) return more();
    }
    return stop > low ? more() : finalPage();
  }

  #ordered(): T[] {
    if (!this.#sorted) {
      this.#items.sort(compareKeys);
      this.#sorted = true;
    }
    return this.#items;
  }

  /** First index whose key is >= `key`. */
  #lowerBound(key: IndexKey): number {
    const items = this.#items;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareKeys(items[mid], key) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
