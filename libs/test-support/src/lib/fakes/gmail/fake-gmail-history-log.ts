/** The four kinds of change Gmail's history reports (its `historyTypes` values). */
export type GmailHistoryType = 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';

/** The message a history record is about, as it was right after the change. */
export interface HistoryMessageRef {
  readonly id: string;
  readonly threadId: string;
  readonly labelIds: readonly string[];
}

/** One change: one history id, one message, one kind. */
export interface HistoryRecord {
  readonly id: number;
  readonly type: GmailHistoryType;
  readonly message: HistoryMessageRef;
  /** The labels added or removed, for `labelAdded` / `labelRemoved`. */
  readonly labelIds?: readonly string[];
}

/** A page of history records. */
export interface HistoryPage {
  readonly records: readonly HistoryRecord[];
  /** The history id to resume from (as a page token); absent on the last page. */
  readonly next?: number;
}

/**
 * A mailbox's history: one record per history id, ids consecutive, stored in an array indexed by
 * `id - firstId`, so finding where a page starts is O(1) and a page costs what it scans.
 */
export class HistoryLog {
  #records: HistoryRecord[] = [];
  /** Id of `#records[0]`. */
  #firstId: number;
  /** Smallest start id still answered; older ones get 404 (history expired). */
  #floor: number;

  /** A log whose latest id is `currentId` and which holds nothing yet. */
  constructor(currentId: number) {
    this.#firstId = currentId + 1;
    this.#floor = currentId;
  }

  /** The latest history id. */
  get currentId(): number {
    return this.#firstId + this.#records.length - 1;
  }

  /** Appends a change under the next id and returns that id. */
  append(change: Omit<HistoryRecord, 'id'>): number {
    const id = this.currentId + 1;
    this.#records.push({ id, ...change });
    return id;
  }

  /** Forgets every record up to and including the current id; older start ids are refused from now on. */
  expire(): void {
    this.#floor = this.currentId;
    this.#firstId = this.currentId + 1;
    this.#records = [];
  }

  /** False when `startId` is older than the retained history, i.e. records after it were forgotten. */
  covers(startId: number): boolean {
    return startId >= this.#floor;
  }

  /**
   * Records with id > `startId` (and >= `resumeAt` when given), at most `limit` of those that
   * `accept` takes. The caller checks {@link covers} first.
   */
  page(startId: number, resumeAt: number | undefined, limit: number, accept: (record: HistoryRecord) => boolean): HistoryPage {
    const records: HistoryRecord[] = [];
    let index = Math.max(startId + 1, resumeAt ?? 0, this.#firstId) - this.#firstId;
    for (; index < this.#records.length && records.length < limit; index++) {
      const record = this.#records[index];
      if (accept(record)) records.push(record);
    }
    return index < this.#records.length ? { records, next: this.#firstId + index } : { records };
  }
}
