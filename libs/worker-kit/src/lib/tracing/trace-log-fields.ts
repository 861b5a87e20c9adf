import { INVALID_TRACEID, trace } from '@opentelemetry/api';

/** The OpenTelemetry log-record fields of the active span, as {@link traceLogFields} returns them. */
export interface TraceLogFields {
  /** 32 lowercase hex digits. */
  readonly trace_id?: string;
  /** 16 lowercase hex digits. */
  readonly span_id?: string;
  /** W3C trace flags as two hex digits (`01`: sampled). */
  readonly trace_flags?: string;
}

const NONE: TraceLogFields = Object.freeze({});

/**
 * `trace_id`, `span_id` and `trace_flags` (the field names of OpenTelemetry's log data model)
 * of the span active where a line is logged, or no field when none is (tracing off, or outside
 * any job): the root logger's pino `mixin`, so a job's lines carry its `process` span's trace.
 * Tracing off, no context manager is registered and this is one map lookup on the root context.
 * The object returned without a span is shared: merge with {@link mergeTraceLogFields}.
 */
export function traceLogFields(): TraceLogFields {
  const ctx = trace.getActiveSpan()?.spanContext();
  // Ids made by the SDK or extracted by the propagator are already checked; the one invalid
  // context left is the all-zero one of a non-recording span (`isSpanContextValid`'s regular
  // expressions cost more than the rest of this function).
  if (!ctx || ctx.traceId === INVALID_TRACEID) return NONE;
  return { trace_id: ctx.traceId, span_id: ctx.spanId, trace_flags: ctx.traceFlags === 1 ? '01' : `0${(ctx.traceFlags & 0xff).toString(16)}`.slice(-2) };
}

/**
 * pino's `mixinMergeStrategy` for {@link traceLogFields}: a line's own fields over the trace
 * fields (pino's default order), and, with no span, the line's object as it is (pino's default
 * would copy it into the shared empty object).
 */
export function mergeTraceLogFields(mergeObject: object, fields: object): object {
  return fields === NONE ? mergeObject : Object.assign(fields, mergeObject);
}
