import type { RequestHandler } from 'express';

// Bull Board's "edit job data" (`PUT /api/queues/:queue/:job/update-data`) and "duplicate"/"add"
// (`POST /api/queues/:queue/add`) write back what the browser holds: job data whose secrets this
// dashboard replaced by "[redacted]" — a retry would then run with the mask instead of the key —
// and they bypass the contracts every producer validates against (JobProducer).
const DATA_WRITES = [/^\/api\/queues\/[^/]+\/[^/]+\/update-data\/?$/, /^\/api\/queues\/[^/]+\/add\/?$/];

/**
 * Refuses (403 JSON), for every role, the Bull Board calls that write job data from the browser:
 * editing a job's data and adding (duplicating) a job. Jobs are added by producers.
 * Mounted on paths relative to the base path.
 */
export const maskedDataWriteGuard: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD' && DATA_WRITES.some((pattern) => pattern.test(req.path))) {
    res.status(403).json({ error: 'job data is shown masked here, so it cannot be edited or re-added from the dashboard' });
    return;
  }
  next();
};
