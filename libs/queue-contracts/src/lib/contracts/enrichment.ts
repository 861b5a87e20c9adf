import { z } from 'zod';
import { idSchema } from './common';

/**
 * One lead to enrich. The rule "at least one of email, company or phone" is checked per lead by
 * the worker, so one bad lead is reported as rejected instead of refusing the whole job.
 */
export const leadSchema = z.object({
  id: idSchema,
  email: z.string().trim().optional(),
  company: z.string().trim().optional(),
  phone: z.string().trim().optional(),
});

/** `LEAD_ENRICHMENT` data: leads enriched in batches of `batchSize` (1-100). */
export const leadEnrichmentDataSchema = z.object({
  userId: idSchema,
  leads: z.array(leadSchema).min(1, 'must hold at least one lead').max(10_000),
  batchSize: z.number().int().min(1).max(100),
});

/** How one lead ended. */
export const leadOutcomeSchema = z.object({
  leadId: z.string(),
  status: z.enum(['enriched', 'not_found', 'failed', 'rejected']),
  fields: z.record(z.string(), z.json()).optional(),
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
