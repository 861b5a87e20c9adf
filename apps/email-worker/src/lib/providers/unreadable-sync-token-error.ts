/**
 * A provider could not read a resume point it issued earlier and the state store kept (a
 * `cursor` or a `checkpoint` token): not JSON, or not the shape it writes. syncMailbox turns it
 * into StateRecordCorruptError naming the state key, since only the store knows where the token
 * came from. Never thrown for tokens the provider rejects (those are CursorExpiredError).
 */
export class UnreadableSyncTokenError extends Error {
  override readonly name = 'UnreadableSyncTokenError';
  constructor(
    /** Which saved token: the completed sync's cursor, or the interrupted sync's checkpoint. */
    readonly which: 'cursor' | 'checkpoint',
    /** What is wrong with it. */
    readonly problem: string,
  ) {
    super(`The saved sync ${which} is unreadable: ${problem}`);
  }
}
