import { z } from 'zod';
import { idSchema } from '../contracts/common';
import { isIanaTimeZone } from './is-iana-time-zone';

/** Bounds of a definition document; the engine's defaults are in `WORKFLOW_DEFAULTS`. */
export const WORKFLOW_DEFINITION_LIMITS = Object.freeze({
  /** Steps in one definition. */
  MAX_STEPS: 200,
  /** Characters of one JSONata expression. */
  MAX_EXPRESSION_CHARS: 10_000,
  /** `limits.maxExecutedSteps` at most. */
  MAX_EXECUTED_STEPS: 10_000,
  /** `limits.maxRunAgeMs` at most: 365 days. Events and cancel flags live this long. */
  MAX_RUN_AGE_MS: 365 * 24 * 60 * 60 * 1000,
  /** A step's `retry.attempts` at most. */
  MAX_ATTEMPTS: 20,
  /** A step's `retry.backoffMs` at most (the doubling is capped there too): 1 h. */
  MAX_BACKOFF_MS: 60 * 60 * 1000,
  /** `http_request.timeoutMs` at most: 2 min. */
  MAX_HTTP_TIMEOUT_MS: 2 * 60 * 1000,
  /** `http_request.maxResponseBytes` at most: 10 MiB. */
  MAX_HTTP_RESPONSE_BYTES: 10 * 1024 * 1024,
  /** Headers of one `http_request`. */
  MAX_HTTP_HEADERS: 50,
  /** Paths of one `set`. */
  MAX_SET_VALUES: 100,
  /**
   * Segments of one `set` path (`a.b.c` has 3): the context sits 2 levels deep in the run record
   * and holds values of its own, so the record stays within `CONTRACT_LIMITS.MAX_JSON_DEPTH` (32).
   */
  MAX_CONTEXT_PATH_SEGMENTS: 16,
  /** A whole definition, UTF-8 bytes of its JSON: 1 MiB. */
  MAX_DEFINITION_BYTES: 1024 * 1024,
});

const L = WORKFLOW_DEFINITION_LIMITS;

/** A step id: 1-64 characters of `A-Z a-z 0-9 _ -` (it enters child job ids `wf-<runId>-<stepId>-<attempt>`). */
export const stepIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ -');

/**
 * A JSONata expression (https://docs.jsonata.org), evaluated over
 * `{ context, steps: { <stepId>: output }, run: { runId, workflowId, triggerId, userId } }`.
 * Here only its length is checked; `validateWorkflowDefinition` compiles it.
 */
export const workflowExpressionSchema = z.string().min(1, 'must not be empty').max(L.MAX_EXPRESSION_CHARS);

/** An event name of `wait_for_event` and `signalWorkflowRun`: 1-64 characters of `A-Z a-z 0-9 _ . -`. */
export const workflowEventNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1-64 characters of A-Z a-z 0-9 _ . -');

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const positiveMs = (max: number) => z.number().int().min(1).max(max);

/**
 * Per-step retry: `attempts` (1-20; default 1 for pure steps, 3 for job and HTTP steps) and
 * `backoffMs` before the 2nd attempt (default 1000, doubled each attempt, capped at 1 h).
 */
export const stepRetrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(L.MAX_ATTEMPTS).optional(),
  backoffMs: z.number().int().min(0).max(L.MAX_BACKOFF_MS).optional(),
});

/**
 * Fields every step has: `id`; `next` (default: the next step in the array, after the last the
 * run ends); `onError`, taken when the step failed for good (without it the run fails);
 * `retry`; `timeoutMs`, the longest one attempt may take (for job steps: the longest the step
 * waits for its child job; `wait_for_event` requires its own, the longest it waits for the event).
 */
const common = {
  id: stepIdSchema,
  next: stepIdSchema.optional(),
  onError: stepIdSchema.optional(),
  retry: stepRetrySchema.optional(),
  timeoutMs: positiveMs(L.MAX_RUN_AGE_MS).optional(),
};

/** `enrich_lead`: enqueues `LEAD_ENRICHMENT` with `input` (its data without `userId`) and waits for its result. */
export const enrichLeadStepSchema = z.strictObject({ ...common, kind: z.literal('enrich_lead'), input: workflowExpressionSchema });
/** `draft_email`: enqueues `EMAIL_DRAFT` with `input` (its data without `userId`) and waits for its result. */
export const draftEmailStepSchema = z.strictObject({ ...common, kind: z.literal('draft_email'), input: workflowExpressionSchema });
/** `place_call`: enqueues `VOICE_CALL` with `input` (its data without `userId`) and waits for the call's end. */
export const placeCallStepSchema = z.strictObject({ ...common, kind: z.literal('place_call'), input: workflowExpressionSchema });

/**
 * Business hours a `wait` snaps to: `days` 1 = Monday … 7 = Sunday (ISO 8601), `start` < `end`
 * as `HH:MM` (24 h) local to `timeZone` (an IANA zone, e.g. `Europe/Paris`).
 */
export const businessHoursSchema = z
  .strictObject({
    timeZone: z.string().refine(isIanaTimeZone, 'must be an IANA time zone, e.g. Europe/Paris'),
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .refine((days) => new Set(days).size === days.length, 'must not repeat a day'),
    start: z.string().regex(HH_MM, 'must be HH:MM (00:00-23:59)'),
    end: z.string().regex(HH_MM, 'must be HH:MM (00:00-23:59)'),
  })
  .refine((hours) => hours.start < hours.end, { path: ['end'], message: 'must be after start' });

/** `wait`: for `durationMs`, or until `until` (an expression giving an ISO 8601 date-time); exactly one. */
export const waitStepSchema = z.strictObject({
  ...common,
  kind: z.literal('wait'),
  durationMs: z.number().int().min(0).max(L.MAX_RUN_AGE_MS).optional(),
  until: workflowExpressionSchema.optional(),
  businessHours: businessHoursSchema.optional(),
});

/** `wait_for_event`: until `event` is signalled to the run (→ `onEvent`) or `timeoutMs` passed (→ `onTimeout`). */
export const waitForEventStepSchema = z.strictObject({
  ...common,
  kind: z.literal('wait_for_event'),
  event: workflowEventNameSchema,
  timeoutMs: positiveMs(L.MAX_RUN_AGE_MS),
  onEvent: stepIdSchema.optional(),
  onTimeout: stepIdSchema.optional(),
});

/** `branch`: to `then` when `condition` is truthy, else to `else`. */
export const branchStepSchema = z.strictObject({
  ...common,
  kind: z.literal('branch'),
  condition: workflowExpressionSchema,
  then: stepIdSchema,
  else: stepIdSchema,
});

/** True when `value` holds no control character but tab (RFC 9110 field values; CR/LF would split headers). */
function hasNoControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return false;
  }
  return true;
}

/** Header names (RFC 9110 token) and values (no control characters but tab). */
const headerNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/, 'must be an HTTP header name');
const RESERVED_HEADERS = new Set(['idempotency-key', 'host', 'content-length', 'transfer-encoding', 'connection']);
const headersSchema = z
  .record(headerNameSchema, z.string().max(8192).refine(hasNoControlCharacters, 'must not hold control characters'))
  .refine((headers) => Object.keys(headers).length <= L.MAX_HTTP_HEADERS, `must have at most ${L.MAX_HTTP_HEADERS} headers`)
  .refine((headers) => Object.keys(headers).every((name) => !RESERVED_HEADERS.has(name.toLowerCase())), {
    message: `must not set ${[...RESERVED_HEADERS].join(', ')} (the worker sets them)`,
  });

/**
 * `http_request`: a webhook call. `url` is either an absolute `http(s)` URL, taken as written, or
 * else a JSONata expression giving one (see `isLiteralHttpUrl`). `body` is an expression whose
 * value is sent as JSON.
 */
export const httpRequestStepSchema = z.strictObject({
  ...common,
  kind: z.literal('http_request'),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  url: workflowExpressionSchema,
  headers: headersSchema.optional(),
  body: workflowExpressionSchema.optional(),
  timeoutMs: positiveMs(L.MAX_HTTP_TIMEOUT_MS).optional(),
  maxResponseBytes: z.number().int().min(1).max(L.MAX_HTTP_RESPONSE_BYTES).optional(),
});

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);
/**
 * A dotted path into the run's context, e.g. `lead.score`: at most 256 characters and 16
 * segments; no `__proto__`/`prototype`/`constructor`.
 */
export const contextPathSchema = z
  .string()
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, 'must be a dotted path of A-Z a-z 0-9 _ $ - segments, e.g. lead.score')
  .max(256)
  .refine((path) => path.split('.').every((segment) => !FORBIDDEN_SEGMENTS.has(segment)), 'must not name __proto__, prototype or constructor')
  .refine((path) => path.split('.').length <= L.MAX_CONTEXT_PATH_SEGMENTS, `must have at most ${L.MAX_CONTEXT_PATH_SEGMENTS} segments (the run record's JSON depth is bounded)`);

/** `set`: assigns each expression's value at its dotted path in the run's context. */
export const setStepSchema = z.strictObject({
  ...common,
  kind: z.literal('set'),
  values: z
    .record(contextPathSchema, workflowExpressionSchema)
    .refine((values) => Object.keys(values).length >= 1, 'must assign at least one path')
    .refine((values) => Object.keys(values).length <= L.MAX_SET_VALUES, `must assign at most ${L.MAX_SET_VALUES} paths`),
});

/** `end`: ends the run with `status` (default `completed`) and the value of `output`. */
export const endStepSchema = z.strictObject({
  ...common,
  kind: z.literal('end'),
  output: workflowExpressionSchema.optional(),
  status: z.enum(['completed', 'failed']).optional(),
});

/** Any step, told apart by `kind`. */
export const workflowStepSchema = z.discriminatedUnion('kind', [
  enrichLeadStepSchema,
  draftEmailStepSchema,
  placeCallStepSchema,
  waitStepSchema,
  waitForEventStepSchema,
  branchStepSchema,
  httpRequestStepSchema,
  setStepSchema,
  endStepSchema,
]);

/**
 * A workflow definition document, as the app saves it (shape only: ids, references and
 * expressions are checked by `validateWorkflowDefinition`, which is what saving runs).
 * - `start`: the first step's id (default: `steps[0]`).
 * - `steps`: 1-200, run from `start`; after a step comes its `next`, else the next one in the
 *   array, else the end of the run.
 * - `limits.maxExecutedSteps` (1-10 000, default 500) and `limits.maxRunAgeMs` (default 30 days,
 *   at most 365): guards against runaway definitions; a run past either fails.
 */
export const workflowDefinitionSchema = z.strictObject({
  workflowId: idSchema,
  name: z.string().max(200).optional(),
  description: z.string().max(10_000).optional(),
  start: stepIdSchema.optional(),
  steps: z.array(workflowStepSchema).min(1, 'must have at least one step').max(L.MAX_STEPS),
  limits: z
    .strictObject({
      maxExecutedSteps: z.number().int().min(1).max(L.MAX_EXECUTED_STEPS).optional(),
      maxRunAgeMs: positiveMs(L.MAX_RUN_AGE_MS).optional(),
    })
    .optional(),
});

/** A workflow definition (parsed). */
export type WorkflowDefinition = z.infer<typeof workflowDefinitionSchema>;
/** A definition as a caller may write it (the same shape: the schema fills in nothing). */
export type WorkflowDefinitionInput = z.input<typeof workflowDefinitionSchema>;
/** Any step. */
export type WorkflowStep = z.infer<typeof workflowStepSchema>;
/** The kinds of step. */
export type WorkflowStepKind = WorkflowStep['kind'];
/** Step of kind `enrich_lead`. */
export type EnrichLeadStep = z.infer<typeof enrichLeadStepSchema>;
/** Step of kind `draft_email`. */
export type DraftEmailStep = z.infer<typeof draftEmailStepSchema>;
/** Step of kind `place_call`. */
export type PlaceCallStep = z.infer<typeof placeCallStepSchema>;
/** Step of kind `wait`. */
export type WaitStep = z.infer<typeof waitStepSchema>;
/** Step of kind `wait_for_event`. */
export type WaitForEventStep = z.infer<typeof waitForEventStepSchema>;
/** Step of kind `branch`. */
export type BranchStep = z.infer<typeof branchStepSchema>;
/** Step of kind `http_request`. */
export type HttpRequestStep = z.infer<typeof httpRequestStepSchema>;
/** Step of kind `set`. */
export type SetStep = z.infer<typeof setStepSchema>;
/** Step of kind `end`. */
export type EndStep = z.infer<typeof endStepSchema>;
/** `businessHours` of a `wait`. */
export type BusinessHours = z.infer<typeof businessHoursSchema>;
/** A step's `retry`. */
export type StepRetry = z.infer<typeof stepRetrySchema>;
