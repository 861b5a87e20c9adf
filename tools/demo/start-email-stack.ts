import { randomBytes } from 'node:crypto';
import {
  loadFixtureEmails,
  startFakeChatCompletionsServer,
  startFakeGmailServer,
  startFakeGraphMailServer,
  startFakeTokenService,
  type FakeChatCompletionsServer,
  type FakeGmailMailbox,
  type FakeGmailServer,
  type FakeGraphMailbox,
  type FakeGraphMailServer,
  type WorkerProcess,
} from '@jobs/test-support';
import { startDemoWorker, type DemoContext } from './demo-context';

/** The Gmail mailbox of the demo (also its account id at the token service). */
export const GMAIL_ACCOUNT = 'rep@acme.example';
/** The Outlook mailbox of the demo. */
export const OUTLOOK_ACCOUNT = 'rep@contoso.example';

/** The email worker of a demo run and the local servers it talks to. */
export interface EmailStack {
  readonly worker: WorkerProcess;
  readonly gmail: FakeGmailServer;
  readonly graph: FakeGraphMailServer;
  readonly chat: FakeChatCompletionsServer;
  readonly gmailBox: FakeGmailMailbox;
  readonly outlookBox: FakeGraphMailbox;
  /** How many real fixture messages each mailbox was filled with. */
  readonly fixtureCount: number;
  /** The key prefix of the worker's output streams (`<prefix>:gmail`, `<prefix>:outlook`). */
  readonly streamPrefix: string;
}

const started = new WeakMap<DemoContext, Promise<EmailStack>>();

/**
 * The email worker as its own process, against local servers that speak the Gmail API,
 * Microsoft Graph, OpenAI's chat completions and the app's token service; both mailboxes hold
 * the 54 real fixture messages. Started once per demo run: the parts that need it share it.
 * @throws Error when the worker does not start within 30 s.
 */
export function startEmailStack(ctx: DemoContext): Promise<EmailStack> {
  let stack = started.get(ctx);
  if (!stack) {
    stack = start(ctx);
    started.set(ctx, stack);
  }
  return stack;
}

async function start(ctx: DemoContext): Promise<EmailStack> {
  const secret = randomBytes(16).toString('hex');
  const apiKey = `sk-demo-${randomBytes(8).toString('hex')}`;
  const [gmail, graph, chat, tokens] = await Promise.all([
    startFakeGmailServer(),
    startFakeGraphMailServer(),
    startFakeChatCompletionsServer({ apiKey }),
    startFakeTokenService(secret),
  ]);
  ctx.onCleanup(async () => {
    await Promise.all([gmail.close(), graph.close(), chat.close(), tokens.close()]);
  });
  const fixtures = loadFixtureEmails();
  const gmailBox = gmail.addMailbox(GMAIL_ACCOUNT, { token: 'demo-gmail-token' });
  const outlookBox = graph.addMailbox(OUTLOOK_ACCOUNT, { token: 'demo-graph-token' });
  tokens.setTokens(GMAIL_ACCOUNT, ['demo-gmail-token']);
  tokens.setTokens(OUTLOOK_ACCOUNT, ['demo-graph-token']);
  for (const f of fixtures) {
    gmailBox.addMessage(f.raw);
    outlookBox.addMessage(f.raw);
  }
  ctx.say(`local Gmail API ${gmail.origin}, Microsoft Graph ${graph.origin}, chat completions ${chat.baseURL}`);
  ctx.say(`mailboxes ${GMAIL_ACCOUNT} (Gmail) and ${OUTLOOK_ACCOUNT} (Outlook) hold ${fixtures.length} real messages each (../shared/fixtures/emails)`);

  const streamPrefix = `${ctx.prefix}:email:messages`;
  const worker = await startDemoWorker(ctx, 'email-worker', 'apps/email-worker/src/main.ts', {
    EMAIL_GMAIL_API_URL: `${gmail.origin}/`,
    EMAIL_GRAPH_API_URL: graph.origin,
    EMAIL_OUTLOOK_FOLDERS: 'inbox',
    EMAIL_TOKEN_URL: tokens.url,
    EMAIL_TOKEN_SECRET: secret,
    OPENAI_BASE_URL: chat.baseURL,
    OPENAI_API_KEY: apiKey,
    OPENAI_MODEL: 'local-demo-model',
    OPENAI_CONTEXT_WINDOW_TOKENS: '8192',
    EMAIL_STREAM_KEY_PREFIX: streamPrefix,
    EMAIL_SYNC_PAGE_SIZE: '10',
    SHUTDOWN_TIMEOUT_MS: '3000',
  });
  return { worker, gmail, graph, chat, gmailBox, outlookBox, fixtureCount: fixtures.length, streamPrefix };
}
