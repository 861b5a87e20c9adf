import { newGraphFolderId } from './fake-graph-ids';

/** One entry of a folder's change log. */
export interface FakeGraphFolderChange {
  readonly messageId: string;
  /** The message left the folder (deleted or moved out). */
  readonly removed: boolean;
}

/**
 * A mail folder and its change log, the state behind delta queries.
 *
 * The log is an append-only array; a delta cursor is an index into it. An entry counts only if
 * it is the latest for its message, so a message changed three times is reported once, in its
 * current state. A page scan therefore costs the page plus the superseded entries it skips,
 * each skipped once per round: O(page) amortised, whatever the folder's size.
 */
export class FakeGraphFolder {
  readonly id = newGraphFolderId();
  private readonly log: FakeGraphFolderChange[] = [];
  private readonly latest = new Map<string, number>();
  /** Ids of the messages now in the folder, in arrival order. */
  readonly members = new Set<string>();

  constructor(
    /** `inbox`, `sentitems`, `drafts` or `deleteditems`. */
    readonly wellKnownName: string,
    readonly displayName: string,
  ) {}

  /** Length of the change log: the cursor that means "everything so far". */
  get logLength(): number {
    return this.log.length;
  }

  /** A message arrived in or changed in this folder. */
  recordUpsert(messageId: string): void {
    this.members.add(messageId);
    this.append({ messageId, removed: false });
  }

  /** A message left this folder. */
  recordRemoval(messageId: string): void {
    this.members.delete(messageId);
    this.append({ messageId, removed: true });
  }

  /**
   * Up to `pageSize` live changes at or after `cursor`, and the cursor to continue from.
   * `initial` (a first round, no delta token yet) leaves out removals: a first round lists what
   * is in the folder now. `include` filters further (e.g. Graph's `receivedDateTime ge` filter).
   */
  changesFrom(
    cursor: number,
    options: { initial: boolean; pageSize: number; include?: (change: FakeGraphFolderChange) => boolean },
  ): { changes: FakeGraphFolderChange[]; cursor: number } {
    const changes: FakeGraphFolderChange[] = [];
    const counts = (i: number): boolean => {
      const change = this.log[i];
      if (this.latest.get(change.messageId) !== i || (options.initial && change.removed)) return false;
      return options.include === undefined || options.include(change);
    };
    let index = cursor;
    for (; index < this.log.length && changes.length < options.pageSize; index++) {
      if (counts(index)) changes.push(this.log[index]);
    }
    // Step over dead entries too, so a page whose rest is all superseded is the last page.
    while (index < this.log.length && !counts(index)) index++;
    return { changes, cursor: index };
  }

  private append(change: FakeGraphFolderChange): void {
    this.latest.set(change.messageId, this.log.length);
    this.log.push(change);
  }
}
