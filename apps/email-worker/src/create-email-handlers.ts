import type { AppRedis, JobHandlers } from '@jobs/worker-kit';
import type { EmailWorkerConfig } from './config';
import { createEmailDraftHandler } from './email-draft-handler';
import { createEmailSyncHandler } from './email-sync-handler';
import type { AccessTokenProvider } from './lib/credentials/access-token-provider';
import { HttpAccessTokenProvider } from './lib/credentials/http-access-token-provider';
import { HttpMailboxDirectory } from './lib/credentials/http-mailbox-directory';
import { DraftRecordStore } from './lib/drafts/draft-record-store';
import { OpenAiReplyWriter } from './lib/drafts/reply-writer';
import { GmailProvider } from './lib/providers/gmail-provider';
import { GraphProvider } from './lib/providers/graph-provider';
import { createMessageSink } from './lib/sinks/create-message-sink';
import { MailboxLock } from './lib/sync/mailbox-lock';
import { SyncStateStore } from './lib/sync/sync-state-store';

/**
 * Wires the email queue's handlers from the resolved config: access tokens and the user's
 * mailbox list from the app's token endpoint, Gmail and Graph providers, the configured output,
 * and the Redis-backed state, locks and draft records under `config.keyPrefix`. `redis` (a
 * `Redis`, or a `Cluster` in cluster mode) must be connected; the caller closes it. `tokens`
 * replaces the HTTP token provider (tests, other credential stores).
 */
export function createEmailHandlers(
  config: EmailWorkerConfig,
  redis: AppRedis,
  tokens: AccessTokenProvider = new HttpAccessTokenProvider({
    url: config.tokens.url,
    secret: config.tokens.secret,
    timeoutMs: config.sync.requestTimeoutMs,
  }),
): JobHandlers<'email'> {
  const providerOptions = {
    tokens,
    pageSize: config.sync.pageSize,
    fetchConcurrency: config.sync.fetchConcurrency,
    requestTimeoutMs: config.sync.requestTimeoutMs,
  };
  const providers = {
    gmail: new GmailProvider({ ...providerOptions, rootUrl: config.gmail.rootUrl }),
    outlook: new GraphProvider({ ...providerOptions, baseUrl: config.graph.baseUrl, folders: config.graph.folders }),
  };
  return {
    EMAIL_SYNC: createEmailSyncHandler({
      providers,
      sink: createMessageSink(config, redis),
      state: new SyncStateStore(redis, config.keyPrefix),
      lock: new MailboxLock(redis, config.keyPrefix, config.worker.lockDurationMs),
      lookbackMs: config.sync.lookbackMs,
      resyncOverlapMs: config.sync.resyncOverlapMs,
    }),
    EMAIL_DRAFT: createEmailDraftHandler({
      providers,
      directory: new HttpMailboxDirectory({ url: config.tokens.url, secret: config.tokens.secret, timeoutMs: config.sync.requestTimeoutMs }),
      writer: new OpenAiReplyWriter(config.chat),
      records: new DraftRecordStore(redis, config.keyPrefix, config.draftRecordTtlMs),
      contextWindowTokens: config.chat.contextWindowTokens,
      maxOutputTokens: config.chat.maxOutputTokens,
    }),
  };
}
