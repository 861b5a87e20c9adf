// Composition root of the email worker: config → logger → Redis → credentials, providers,
// output, stores → handlers → worker (with health server and shutdown). Nothing below this file
// reads the environment.
import { Redis } from 'ioredis';
import { QUEUE_NAMES, describeRedis, ioRedisOptions } from '@jobs/queue-contracts';
import { ConfigError, createLogger, runWorkerApp } from '@jobs/worker-kit';
import { loadConfig } from './config';
import { createEmailDraftHandler } from './email-draft-handler';
import { createEmailSyncHandler } from './email-sync-handler';
import { createMessageSink } from './lib/sinks/create-message-sink';
import { HttpAccessTokenProvider } from './lib/credentials/http-access-token-provider';
import { DraftRecordStore } from './lib/drafts/draft-record-store';
import { OpenAiReplyWriter } from './lib/drafts/reply-writer';
import { GmailProvider } from './lib/providers/gmail-provider';
import { GraphProvider } from './lib/providers/graph-provider';
import { MailboxLock } from './lib/sync/mailbox-lock';
import { SyncStateStore } from './lib/sync/sync-state-store';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger({ level: config.worker.logLevel, name: 'email-worker' });
  log.info(
    { sync: config.sync, sink: config.sink.kind, folders: config.graph.folders, model: config.chat.model },
    'email worker settings',
  );

  // The worker's own keys (state, locks, markers, draft records) and the Redis Stream output.
  const redis = new Redis({ ...ioRedisOptions(config.worker.redis, 'producer'), lazyConnect: true, connectionName: 'email-worker:state' });
  redis.on('error', (err) => log.debug({ err }, 'state connection error'));
  await redis.connect().catch((err: unknown) => {
    throw new Error(`Redis at ${describeRedis(config.worker.redis)} is not reachable`, { cause: err });
  });

  const tokens = new HttpAccessTokenProvider({ url: config.tokens.url, secret: config.tokens.secret, timeoutMs: config.sync.requestTimeoutMs });
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

  await runWorkerApp({
    queue: QUEUE_NAMES.email,
    config: config.worker,
    log,
    handlers: {
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
        writer: new OpenAiReplyWriter(config.chat),
        records: new DraftRecordStore(redis, config.keyPrefix, config.draftRecordTtlMs),
        contextWindowTokens: config.chat.contextWindowTokens,
        maxOutputTokens: config.chat.maxOutputTokens,
      }),
    },
    onClose: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  });
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`email-worker: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`email-worker failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
