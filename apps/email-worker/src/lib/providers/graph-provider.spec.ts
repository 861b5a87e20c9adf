import { loadFixtureEmails, startFakeGraphMailServer, type FakeGraphMailServer } from '@jobs/test-support';
import type { MailChange, SyncPage, SyncStart } from './mail-provider';
import { GraphProvider } from './graph-provider';

const fixtures = loadFixtureEmails();
const mailbox = { userId: 'u', accountId: 'rep@contoso.example', provider: 'outlook' as const };
const signal = new AbortController().signal;

async function pages(provider: GraphProvider, start: SyncStart, stopAfter?: (page: SyncPage) => boolean): Promise<SyncPage[]> {
  const out: SyncPage[] = [];
  for await (const page of provider.sync(mailbox, start, signal)) {
    out.push(page);
    if (stopAfter?.(page)) break;
  }
  return out;
}

const upsertIds = (list: SyncPage[]) =>
  list.flatMap((p) => p.changes).flatMap((c: MailChange) => (c.kind === 'upsert' ? [c.message.id] : []));

describe('GraphProvider (real Graph client, local Graph server)', () => {
  let graph: FakeGraphMailServer;
  let provider: GraphProvider;
  beforeEach(async () => {
    graph = await startFakeGraphMailServer();
    graph.addMailbox(mailbox.accountId, { token: 't1' });
    provider = new GraphProvider({
      baseUrl: graph.origin,
      tokens: { getAccessToken: async () => 't1' },
      folders: ['inbox', 'sentitems'],
      pageSize: 10,
      fetchConcurrency: 4,
      requestTimeoutMs: 5000,
    });
  });
  afterEach(() => graph.close());

  it('syncs several folders into one cursor, labels messages with their folder', async () => {
    const box = graph.mailbox(mailbox.accountId);
    const inbox = fixtures.slice(0, 12).map((f) => box.addMessage(f.raw).id);
    const sent = fixtures.slice(12, 15).map((f) => box.addMessage(f.raw, { folder: 'sentitems' }).id);
    const full = await pages(provider, { kind: 'full', since: new Date('2000-01-01') });
    // Handed over in batches of at most fetchConcurrency (4) downloads; a resume point only at
    // the end of each provider page (inbox: 10 + 2, sent items: 3); the cursor on the last.
    expect(full.every((p) => p.fetched <= 4)).toBe(true);
    expect(full.filter((p) => p.checkpoint !== null)).toHaveLength(3);
    expect(full.map((p) => p.cursor !== null)).toEqual([...full.slice(1).map(() => false), true]);
    const changes = full.flatMap((p) => p.changes);
    expect(upsertIds(full).sort()).toEqual([...inbox, ...sent].sort());
    const labelOf = (id: string) => changes.find((c) => c.kind === 'upsert' && c.message.id === id);
    expect(labelOf(sent[0] as string)).toMatchObject({ message: { labels: ['sentitems'] } });
    expect(labelOf(inbox[0] as string)).toMatchObject({ message: { labels: ['inbox'] } });
    expect(Object.keys(JSON.parse(full.at(-1)?.cursor ?? '{}').folders)).toEqual(['inbox', 'sentitems']);
  });

  it('a sync resumed from a checkpoint between folders still reads the next folder as a delta', async () => {
    const box = graph.mailbox(mailbox.accountId);
    fixtures.slice(0, 5).forEach((f) => box.addMessage(f.raw));
    fixtures.slice(5, 8).forEach((f) => box.addMessage(f.raw, { folder: 'sentitems' }));
    const cursor = (await pages(provider, { kind: 'full', since: new Date('2000-01-01') })).at(-1)?.cursor as string;
    const added = box.addMessage(fixtures[9]?.raw as Buffer, { folder: 'sentitems' }).id;

    // Interrupted right after the inbox's delta page: the checkpoint sits between folders.
    const firstPart = await pages(provider, { kind: 'incremental', cursor }, () => true);
    expect(firstPart[0]?.cursor).toBeNull();
    const checkpoint = firstPart[0]?.checkpoint as string;
    const before = graph.requests.length;
    const rest = await pages(provider, { kind: 'resume', checkpoint });
    expect(upsertIds(rest)).toEqual([added]);
    // One delta request (the sent items' saved delta link), not a fresh listing of the folder.
    const deltaRequests = graph.requests.slice(before).filter((r) => r.path.endsWith('/messages/delta'));
    expect(deltaRequests).toHaveLength(1);
    expect(deltaRequests[0]?.query).toHaveProperty('$deltatoken');
    expect(rest.at(-1)?.cursor).toEqual(expect.any(String));
  });

  it('a move between synced folders is a change, not a deletion; a move out of them a change of folder; only a deleted message is deleted', async () => {
    const box = graph.mailbox(mailbox.accountId);
    const [a, b, c] = fixtures.slice(0, 3).map((f) => box.addMessage(f.raw, { folder: 'sentitems', receivedDateTime: '2024-05-01T10:00:00Z' }).id) as [string, string, string];
    const cursor = (await pages(provider, { kind: 'full', since: new Date('2000-01-01') })).at(-1)?.cursor as string;
    box.moveMessage(a, 'inbox');
    box.moveMessage(b, 'deleteditems');
    box.deleteMessage(c);
    const changes = (await pages(provider, { kind: 'incremental', cursor })).flatMap((p) => p.changes);
    const summary = changes.map((ch) => (ch.kind === 'deleted' ? `deleted ${ch.messageId}` : `${ch.change} ${ch.message.id} in ${ch.message.labels.join()}`));
    expect(summary.sort()).toEqual(
      [`changed ${a} in inbox`, `changed ${b} in ${box.folderId('deleteditems')}`, `deleted ${c}`].sort(),
    );
  });
});
