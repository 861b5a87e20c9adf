import { z } from 'zod';
import { idSchema } from './common';
import { CONTRACT_LIMITS } from './contract-limits';
import { depthBoundedJsonSchema } from './depth-bounded-json';
import { phoneNumberSchema } from './phone-number';

/**
 * One lead to enrich: `email` (at most `CONTRACT_LIMITS.MAX_EMAIL_CHARS`, 254), `company` (at
 * most `MAX_NAME_CHARS`, 256), `phone` (international format, shape checked as
 * `phoneNumberSchema`). The rule "at least one of email, company or phone" is checked per lead by
 * the worker, so one such lead is reported as rejected instead of refusing the whole job.
 */
export const leadSchema = z.strictObject({
  id: idSchema,
  email: z.string().trim().max(CONTRACT_LIMITS.MAX_EMAIL_CHARS).optional(),
  company: z.string().trim().max(CONTRACT_LIMITS.MAX_NAME_CHARS).optional(),
  phone: phoneNumberSchema.optional(),
});

/**
 * `LEAD_ENRICHMENT` data: leads (1 to `CONTRACT_LIMITS.MAX_LEADS`, 10 000) enriched in batches of
 * `batchSize` (1-100).
 */
export const leadEnrichmentDataSchema = z.strictObject({
  userId: idSchema,
  leads: z.array(leadSchema).min(1, 'must hold at least one lead').max(CONTRACT_LIMITS.MAX_LEADS),
  batchSize: z.number().int().min(1).max(100),
});

/** How one lead ended. */
export const leadOutcomeSchema = z.object({
  leadId: z.string(),
  status: z.enum(['enriched', 'not_found', 'failed', 'rejected']),
  fields: z.record(z.string(), depthBoundedJsonSchema).optional(),
  reason: z.string().optional(),
});

/** `LEAD_ENRICHMENT` result: per-lead outcomes and totals. */
export const leadEnrichmentResultSchema = z.object({
  outcomes: z.array(leadOutcomeSchema),
  totals: z.object({
    enriched: z.number().int().nonnegative(),
    notFound: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    rejected: z.number().int().nonnegative(),
  }),
});
