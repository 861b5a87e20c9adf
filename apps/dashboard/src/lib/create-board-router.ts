import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import type { Logger } from '@jobs/worker-kit';
import type { DashboardRole } from './dashboard-role';
import { mapRedisUnavailable, type BoardErrorHandler } from './map-redis-unavailable';
import { maskSecrets } from './mask-secrets';

/** Title shown in Bull Board's header and the browser tab. */
export const BOARD_TITLE = 'Jobs dashboard';
/** Text of the logout link in Bull Board's header (its `uiConfig.miscLinks`). */
export const LOGOUT_LINK_TEXT = 'Logout';

/** Bull Board's Express adapter whose API error handler, whichever Bull Board sets, answers 503 when Redis is unavailable. */
class DashboardExpressAdapter extends ExpressAdapter {
  constructor(private readonly log: Logger) {
    super();
  }

  override setErrorHandler(handler: BoardErrorHandler): this {
    return super.setErrorHandler(mapRedisUnavailable(handler, this.log));
  }
}

/**
 * One Bull Board (UI and API) over `queues` for one role, answering under `basePath`: a
 * viewer's board has every queue adapter in `readOnlyMode` (no retry, remove, promote, clean,
 * pause buttons; Bull Board answers 405 to those calls) and no retries. Job `data` and
 * `returnValue` go through {@link maskSecrets} by Bull Board's formatters; the API's other
 * fields (failure reasons, stack traces, logs, options) are masked by the app's JSON filter.
 * An API call failing because Redis is unavailable is answered 503 (`mapRedisUnavailable`),
 * other failures as Bull Board does (500).
 * The header carries a {@link LOGOUT_LINK_TEXT} link to `<basePath>/logout`.
 * @param basePath - normalised (`/` or `/a/b`).
 */
export function createBoardRouter(queues: readonly Queue[], role: DashboardRole, basePath: string, log: Logger): RequestHandler {
  const serverAdapter = new DashboardExpressAdapter(log);
  serverAdapter.setBasePath(basePath);
  const readOnly = role !== 'admin';
  const adapters = queues.map((queue) => {
    const adapter = new BullMQAdapter(queue, { readOnlyMode: readOnly, allowRetries: !readOnly });
    adapter.setFormatter('data', (data) => maskSecrets(data));
    adapter.setFormatter('returnValue', (value) => maskSecrets(value));
    return adapter;
  });
  // Bull Board's header shows misc links as plain anchors (GET): the app's /logout accepts GET for that.
  const logoutUrl = `${basePath === '/' ? '' : basePath}/logout`;
  createBullBoard({ queues: adapters, serverAdapter, options: { uiConfig: { boardTitle: BOARD_TITLE, miscLinks: [{ text: LOGOUT_LINK_TEXT, url: logoutUrl }] } } });
  return serverAdapter.getRouter() as RequestHandler;
}
