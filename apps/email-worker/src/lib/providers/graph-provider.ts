import { Client, HTTPMessageHandler, ResponseType } from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { AccessTokenProvider } from '../credentials/access-token-provider';
import { withAccessToken } from '../credentials/with-access-token';
import type { MailboxRef } from '../mailbox-ref';
import { mapWithConcurrency } from '@jobs/worker-kit';
import { mapGraphError } from './graph-errors';
import type { MailChange, MailProvider, ReplyDraft, SyncOptions, SyncPage, SyncStart, ThreadMessage } from './mail-provider';
import { pageInBatches } from './page-in-batches';
import { ProviderNotFoundError } from './provider-not-found-error';
import { ProviderRejectedError } from './provider-rejected-error';
import { parseSyncToken } from './parse-sync-token';
import { retryTransient } from './retry-transient';

/** Options of {@link GraphProvider}. */
export interface GraphProviderOptions {
  /** Graph root without the version, `https://graph.microsoft.com` in production. */
  readonly baseUrl: string;
  readonly tokens: AccessTokenProvider;
  /** Mail folders synced (ids or well-known names such as `inbox`, `sentitems`). */
  readonly folders: readonly string[];
  /** `Prefer: odata.maxpagesize` of delta pages. */
  readonly pageSize: number;
  readonly fetchConcurrency: number;
  readonly requestTimeoutMs: number;
}

const isoDateTime = z.iso.datetime({ offset: true });
const deltaLinks = z.record(z.string(), z.string().min(1));

// The cursor and checkpoint as this provider writes them; read back from Redis, so parsed
// (parseSyncToken) before a folder's link is followed.
/** The Outlook cursor: each folder's delta link, and when they were issued. */
const graphCursorSchema = z.object({
  folders: deltaLinks,
  /** ISO-8601: messages created after this are `new`, others `changed`. */
  at: isoDateTime,
  /** The date filter of the first sync (ISO-8601), null for none; absent in older cursors. */
  since: isoDateTime.nullable().optional(),
});

const graphCheckpointSchema = z.object({
  full: z.boolean(),
  /** Delta links of the folders finished in this sync. */
  done: deltaLinks,
  /** Folder being read, and the link of its next page. */
  index: z.number().int().nonnegative(),
  link: z.string().min(1).nullable(),
  since: isoDateTime.nullable(),
  /** The previous cursor's delta links (incremental sync), so a resumed sync still reads deltas. */
  previousFolders: deltaLinks.nullable(),
  /** The previous cursor's time, for telling new from changed. */
  previousAt: isoDateTime.nullable(),
  at: isoDateTime,
});
type GraphCursor = z.output<typeof graphCursorSchema>;
type GraphCheckpoint = z.output<typeof graphCheckpointSchema>;

interface DeltaItem {
  id: string;
  '@removed'?: { reason?: string };
  changeKey?: string;
  conversationId?: string;
  createdDateTime?: string;
  receivedDateTime?: string;
  isDraft?: boolean;
}

interface DeltaPage {
  value?: DeltaItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

const VERSION = 'v1.0';
// Ids that survive a move between folders (learn.microsoft.com/graph/outlook-immutable-id):
// the app's stored ids stay valid, and a move is not a deletion plus a new message.
const IMMUTABLE_IDS = 'IdType="ImmutableId"';
const SELECT = 'id,changeKey,conversationId,createdDateTime,receivedDateTime,isDraft';

/**
 * Outlook through Microsoft Graph with the official `@microsoft/microsoft-graph-client`.
 *
 * - Sync: a delta query per folder (`/me/mailFolders/{folder}/messages/delta`), pages of
 *   `Prefer: odata.maxpagesize`, each added or changed message downloaded as MIME (`$value`);
 *   the cursor keeps every folder's `@odata.deltaLink`. A full sync filters on
 *   `receivedDateTime ge <since>`, the one filter Graph's message delta supports. An expired
 *   delta token (410) is a CursorExpiredError (learn.microsoft.com/graph/delta-query-messages).
 * - Drafts: `createReply` on the answered message (Graph threads it and sets the reply
 *   headers), then `PATCH` of its body and subject.
 * - The client is built with a middleware chain of only the HTTP handler: no RetryHandler (it
 *   would sleep out a 429 while holding the worker slot, and multiply attempts) and no
 *   AuthenticationHandler (tokens differ per mailbox, so each request sets its own header).
 */
export class GraphProvider implements MailProvider {
  private readonly client: Client;
  private readonly root: string;
  /** Per account: ids of the synced folders (folder ids do not change). */
  private readonly folderIds = new Map<string, Set<string>>();

  constructor(private readonly options: GraphProviderOptions) {
    this.root = `${options.baseUrl.replace(/\/+$/, '')}/${VERSION}`;
    this.client = Client.initWithMiddleware({ middleware: new HTTPMessageHandler(), baseUrl: options.baseUrl, defaultVersion: VERSION });
  }

  /** A Graph link (nextLink, deltaLink) as a path the client accepts (it parses https only). */
  private relative(link: string): string {
    return link.startsWith(this.root) ? link.slice(this.root.length) : link;
  }

  private request<T>(
    mailbox: MailboxRef,
    what: string,
    signal: AbortSignal,
    send: (token: string) => Promise<T>,
    idempotent = true,
  ): Promise<T> {
    const once = (token: string) =>
      send(token).catch((err: unknown) => {
        throw mapGraphError(err, what);
      });
    return withAccessToken(this.options.tokens, mailbox, (token) => (idempotent ? retryTransient(() => once(token), signal) : once(token)), signal);
  }

  private api(path: string, token: string, signal: AbortSignal) {
    return this.client
      .api(path)
      .header('Authorization', `Bearer ${token}`)
      .header('Prefer', IMMUTABLE_IDS)
      .option('signal', AbortSignal.any([signal, AbortSignal.timeout(this.options.requestTimeoutMs)]));
  }

  async mailboxAddress(mailbox: MailboxRef, signal: AbortSignal): Promise<string> {
    const me = await this.request(mailbox, 'GET /me', signal, (t) =>
      this.api('/me', t, signal).select('mail,userPrincipalName').get() as Promise<{ mail?: string | null; userPrincipalName?: string }>,
    );
    return me.mail ?? me.userPrincipalName ?? '';
  }

  private async fetchRaw(mailbox: MailboxRef, item: DeltaItem, folder: string, signal: AbortSignal): Promise<ThreadMessage | null> {
    try {
      const raw = await this.request(mailbox, 'GET /me/messages/{id}/$value', signal, (t) =>
        this.api(`/me/messages/${encodeURIComponent(item.id)}/$value`, t, signal).responseType(ResponseType.ARRAYBUFFER).get() as Promise<ArrayBuffer>,
      );
      return {
        id: item.id,
        threadId: item.conversationId ?? item.id,
        version: item.changeKey ?? '',
        labels: [folder],
        receivedAt: new Date(item.receivedDateTime ?? item.createdDateTime ?? Date.now()),
        raw: Buffer.from(raw),
        isDraft: item.isDraft === true,
      };
    } catch (err) {
      if (err instanceof ProviderNotFoundError) return null;
      throw err;
    }
  }

  async *sync(mailbox: MailboxRef, start: SyncStart, signal: AbortSignal, options: SyncOptions = {}): AsyncIterable<SyncPage> {
    const now = new Date().toISOString();
    let checkpoint: GraphCheckpoint;
    if (start.kind === 'resume') {
      checkpoint = parseSyncToken(graphCheckpointSchema, start.checkpoint, 'checkpoint');
    } else if (start.kind === 'full') {
      // A resync keeps the first sync's date filter: a delta query only ever reports changes to
      // messages inside its filter, so narrowing it would hide later changes to older mail.
      const expired = start.expiredCursor ? parseSyncToken(graphCursorSchema, start.expiredCursor, 'cursor') : null;
      const since = expired && expired.since !== undefined ? expired.since : start.since.toISOString();
      checkpoint = { full: true, done: {}, index: 0, link: null, since, previousFolders: null, previousAt: null, at: now };
    } else {
      const previous = parseSyncToken(graphCursorSchema, start.cursor, 'cursor');
      checkpoint = {
        full: false,
        done: {},
        index: 0,
        link: null,
        since: previous.since ?? null,
        previousFolders: previous.folders,
        previousAt: previous.at,
        at: now,
      };
    }
    const folders = this.options.folders;
    while (checkpoint.index < folders.length) {
      const folder = folders[checkpoint.index] as string;
      // A folder new to the cursor (EMAIL_OUTLOOK_FOLDERS changed) is listed whole.
      const previousLink = checkpoint.previousFolders?.[folder];
      const link = checkpoint.link ?? (previousLink ? this.relative(previousLink) : this.initialDeltaPath(folder, checkpoint.since));
      const page = await this.request(mailbox, `GET ${folder} delta`, signal, (t) =>
        this.api(this.relative(link), t, signal)
          .header('Prefer', `odata.maxpagesize=${this.options.pageSize}, ${IMMUTABLE_IDS}`)
          .get() as Promise<DeltaPage>,
      );
      const items = page.value ?? [];
      // Graph's delta does not say new from changed: a message created since the previous
      // cursor was issued is new. Graph times have whole seconds, so compare at that precision.
      const newSince = checkpoint.previousAt ? Math.floor(Date.parse(checkpoint.previousAt) / 1000) * 1000 : Number.NEGATIVE_INFINITY;
      const changeOf = (item: DeltaItem): 'new' | 'changed' => {
        const created = Date.parse(item.createdDateTime ?? item.receivedDateTime ?? '');
        return checkpoint.full || !(created < newSince) ? 'new' : 'changed';
      };

      // "@removed" means gone from this folder: deleted, or moved. Moved into another synced
      // folder, that folder's delta reports it; moved elsewhere (Archive, Deleted Items), it is
      // a change of folder; only a message Graph no longer has is a deletion.
      const removed = items.filter((i) => i['@removed']);
      const fates = await mapWithConcurrency(removed, this.options.fetchConcurrency, (i) => this.whereNow(mailbox, i.id, signal));
      const syncedFolderIds = await this.syncedFolderIds(mailbox, signal);
      const deletions: MailChange[] = [];
      const movedOut: { item: DeltaItem; label: string; change: 'changed' }[] = [];
      removed.forEach((item, i) => {
        const now = fates[i];
        if (!now) deletions.push({ kind: 'deleted', messageId: item.id, version: checkpoint.at });
        else if (!syncedFolderIds.has(now.parentFolderId ?? '')) movedOut.push({ item: now, label: now.parentFolderId ?? '', change: 'changed' });
      });
      const toDownload = [
        ...items.filter((i) => !i['@removed'] && i.isDraft !== true).map((item) => ({ item, label: folder, change: changeOf(item) })),
        ...movedOut,
      ];

      const next = page['@odata.nextLink'] ?? null;
      const delta = page['@odata.deltaLink'] ?? null;
      const done = delta ? { ...checkpoint.done, [folder]: delta } : checkpoint.done;
      checkpoint = next ? { ...checkpoint, done, link: next } : { ...checkpoint, done, link: null, index: checkpoint.index + 1 };
      const finished = checkpoint.index >= folders.length;
      yield* pageInBatches({
        items: toDownload,
        batchSize: this.options.fetchConcurrency,
        download: ({ item, label }) => this.fetchRaw(mailbox, item, label, signal),
        known: options.alreadyHandedOver
          ? (batch) => (options.alreadyHandedOver as NonNullable<SyncOptions['alreadyHandedOver']>)(batch.map(({ item }) => ({ id: item.id, version: item.changeKey ?? '' })))
          : undefined,
        toChange: ({ change }, message) => (message && !message.isDraft ? { kind: 'upsert', change, message } : null),
        head: deletions,
        checkpoint: JSON.stringify(checkpoint),
        cursor: finished ? JSON.stringify({ folders: done, at: checkpoint.at, since: checkpoint.since } satisfies GraphCursor) : null,
        fullSync: checkpoint.full,
      });
    }
  }

  /** The message as it is now (with its folder), or null when Graph no longer has it. */
  private async whereNow(mailbox: MailboxRef, id: string, signal: AbortSignal): Promise<(DeltaItem & { parentFolderId?: string }) | null> {
    try {
      return await this.request(mailbox, 'GET /me/messages/{id}', signal, (t) =>
        this.api(`/me/messages/${encodeURIComponent(id)}`, t, signal).select(`${SELECT},parentFolderId`).get() as Promise<DeltaItem & { parentFolderId?: string }>,
      );
    } catch (err) {
      if (err instanceof ProviderNotFoundError) return null;
      throw err;
    }
  }

  /** Ids of the synced folders (configured by name or id), resolved once per provider. */
  private async syncedFolderIds(mailbox: MailboxRef, signal: AbortSignal): Promise<Set<string>> {
    const key = mailbox.accountId;
    const cached = this.folderIds.get(key);
    if (cached) return cached;
    const ids = await mapWithConcurrency(this.options.folders, 4, (folder) =>
      this.request(mailbox, `GET /me/mailFolders/${folder}`, signal, (t) =>
        this.api(`/me/mailFolders/${encodeURIComponent(folder)}`, t, signal).select('id').get() as Promise<{ id: string }>,
      ),
    );
    const set = new Set(ids.map((f) => f.id));
    this.folderIds.set(key, set);
    return set;
  }

  private initialDeltaPath(folder: string, since: string | null): string {
    const query = new URLSearchParams({ $select: SELECT });
    if (since) query.set('$filter', `receivedDateTime ge ${since}`);
    return `/me/mailFolders/${encodeURIComponent(folder)}/messages/delta?${query.toString()}`;
  }

  async readThread(mailbox: MailboxRef, threadId: string, signal: AbortSignal): Promise<ThreadMessage[]> {
    const items: (DeltaItem & { parentFolderId?: string })[] = [];
    let link: string | null = `/me/messages?${new URLSearchParams({
      $filter: `conversationId eq '${threadId.replace(/'/g, "''")}'`,
      $select: `${SELECT},parentFolderId`,
      $top: '50',
    }).toString()}`;
    while (link) {
      const path: string = link;
      const page = await this.request(mailbox, 'GET /me/messages (conversation)', signal, (t) =>
        this.api(this.relative(path), t, signal).get() as Promise<DeltaPage>,
      );
      items.push(...(page.value ?? []));
      link = page['@odata.nextLink'] ?? null;
    }
    if (items.length === 0) throw new ProviderNotFoundError(`Microsoft Graph has no messages in conversation ${threadId}`);
    items.sort((a, b) => Date.parse(a.receivedDateTime ?? '') - Date.parse(b.receivedDateTime ?? ''));
    const messages = await mapWithConcurrency(items, this.options.fetchConcurrency, (i) => this.fetchRaw(mailbox, i, i.parentFolderId ?? '', signal));
    return messages.filter((m): m is ThreadMessage => m !== null);
  }

  async saveReplyDraft(
    mailbox: MailboxRef,
    draft: ReplyDraft,
    options: { existingDraftId: string | null; onCreated: (draftId: string) => Promise<void>; signal: AbortSignal },
  ): Promise<{ draftId: string; threadId: string }> {
    const { signal } = options;
    let draftId = options.existingDraftId;
    if (draftId === null) {
      // createReply is not idempotent: never retried in place; the job's retry finds the id.
      const created = await this.request(
        mailbox,
        'POST createReply',
        signal,
        (t) => this.api(`/me/messages/${encodeURIComponent(draft.replyTo.id)}/createReply`, t, signal).post({}) as Promise<{ id?: string }>,
        false,
      );
      if (!created.id) throw new ProviderRejectedError('Microsoft Graph created a reply draft without an id');
      draftId = created.id;
      await options.onCreated(draftId);
    }
    const id = draftId;
    let updated: { id?: string; conversationId?: string };
    try {
      updated = await this.request(mailbox, 'PATCH draft', signal, (t) =>
        this.api(`/me/messages/${encodeURIComponent(id)}`, t, signal).patch({
          subject: draft.subject,
          body: { contentType: 'text', content: draft.body },
          // createReply addresses the original sender; the handler decided otherwise (Reply-To,
          // or the recipients when the owner wrote last).
          toRecipients: draft.to.map((a) => ({ emailAddress: { name: a.name, address: a.address } })),
        }) as Promise<{ id?: string; conversationId?: string }>,
      );
    } catch (err) {
      // The user deleted the draft since the earlier attempt: write a new one.
      if (err instanceof ProviderNotFoundError && options.existingDraftId !== null) {
        return this.saveReplyDraft(mailbox, draft, { ...options, existingDraftId: null });
      }
      throw err;
    }
    const threadId = updated.conversationId ?? '';
    if (threadId !== draft.replyTo.threadId) {
      throw new ProviderRejectedError(`Microsoft Graph saved draft ${id} in conversation ${threadId}, not ${draft.replyTo.threadId}`);
    }
    return { draftId: id, threadId };
  }
}
