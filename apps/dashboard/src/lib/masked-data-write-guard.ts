import type { RequestHandler } from 'express';
import { canonicalPath } from './canonical-path';
import { REFUSAL_REASON } from './log-refused-writes';

// Bull Board's "edit job data" (`PATCH /api/queues/:queue/:job/update-data`) and "duplicate"/"add"
// (`POST /api/queues/:queue/add`) write back what the browser holds: job data whose secrets this
// dashboard replaced by "[redacted]" — a retry would then run with the mask instead of the key —
// and they bypass the contracts every producer validates against (JobProducer). Matched on the
// canonical path's last segment, whatever the method and however many segments precede it, so
// no spelling (`/API/…/ADD`, `%2F`, `//`, trailing `/`, `;x`) the router would still route gets past.
const DATA_WRITE_ENDINGS = new Set(['update-data', 'add']);

/**
 * Refuses (403 JSON), for every role, the Bull Board calls that write job data from the browser:
 * editing a job's data and adding (duplicating) a job, in any case or encoding (see
 * `canonicalPath`). Jobs are added by producers. Mounted on paths relative to the base path.
 */
export const maskedDataWriteGuard: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const canonical = canonicalPath(req.path);
    const last = canonical.slice(canonical.lastIndexOf('/') + 1);
    if (canonical.startsWith('/api/') && DATA_WRITE_ENDINGS.has(last)) {
      res.locals[REFUSAL_REASON] = 'job data is masked here';
      res.status(403).json({ error: 'job data is shown masked here, so it cannot be edited or re-added from the dashboard' });
      return;
    }
  }
  next();
};
