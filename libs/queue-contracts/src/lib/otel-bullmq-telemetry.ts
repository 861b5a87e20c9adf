import { context, propagation, ROOT_CONTEXT, SpanKind as OtelSpanKind, trace, type Context, type Span as OtelSpan, type Tracer as OtelTracer } from '@opentelemetry/api';
import type { Attributes, AttributeValue, ContextManager, Exception, Span, SpanOptions, Telemetry, Time, Tracer } from 'bullmq';

/** Instrumentation scope of the spans BullMQ makes through this adapter. */
export const BULLMQ_TRACER_NAME = 'bullmq';

/**
 * Span event attributes that are never recorded: BullMQ's 'job completed' event carries the
 * handler's whole result as JSON (`bullmq.job.result`), which holds what the job was about
 * (addresses, lead details, report figures) — job data by another name.
 */
export const DROPPED_EVENT_ATTRIBUTES: readonly string[] = ['bullmq.job.result'];

// BullMQ's SpanKind enum has OTel's numbering (INTERNAL 0 … CONSUMER 4).
const INTERNAL = 0;

/**
 * BullMQ's `Telemetry` (BullMQ 6 `interfaces/telemetry.d.ts`) over the global OpenTelemetry API:
 * `Queue.add`/`addBulk` open a PRODUCER span and store the W3C trace context (`traceparent`) in
 * the job's `opts.telemetry.metadata`; `Worker.processJob` continues it with a CONSUMER
 * `process <queue>` span, inside whose context the processor runs, so the handler's log lines and
 * outgoing HTTP calls belong to it. Spans go to whatever tracer provider is registered globally
 * (`trace.setGlobalTracerProvider`); with none, every span is a no-op and no metadata is stored.
 *
 * Our own thin adapter rather than `bullmq-otel` 2.0.1's `BullMQOtel`, which fits BullMQ 6.7 and
 * Node 20 but: (1) has no `root()` on its context manager, so BullMQ's stalled-job checker loop
 * stays in the context that started it and every check for the life of the process lands in one
 * ever-growing trace; (2) records the job's result in the 'job completed' event; (3) `JSON.parse`s
 * the stored metadata unguarded, so a job whose `opts.telemetry.metadata` is not JSON (anyone can
 * write to Redis) makes `processJob` throw before the job is failed; (4) serialises `{}` as the
 * metadata of every job when no tracer provider is registered, storing bytes for nothing.
 * Housekeeping spans that belong to no trace (a worker's stalled checks, lock renewals, pause,
 * close: INTERNAL spans without a parent) are not recorded either: they would make a new trace
 * every few seconds per worker and bury the job traces.
 */
export class OtelBullMqTelemetry implements Telemetry<Context> {
  readonly tracer: Tracer<Context>;
  readonly contextManager: ContextManager<Context>;

  /** @param tracer - default the global provider's tracer `bullmq`, resolved on each span (a provider registered later is used). */
  constructor(tracer: OtelTracer = trace.getTracer(BULLMQ_TRACER_NAME)) {
    this.tracer = {
      startSpan(name: string, options?: SpanOptions, ctx?: Context): Span<Context> {
        const parent = ctx ?? context.active();
        if ((options?.kind ?? INTERNAL) === INTERNAL && trace.getSpan(parent) === undefined) return NON_RECORDING;
        return new BullMqSpan(tracer.startSpan(name, { kind: (options?.kind ?? INTERNAL) as number as OtelSpanKind }, parent));
      },
    };
    this.contextManager = {
      with: (ctx, fn) => context.with(ctx, fn),
      active: () => context.active(),
      root: () => ROOT_CONTEXT,
      getMetadata(ctx: Context): string {
        // No valid span (no provider, or not sampled and not recording): store nothing.
        if (!trace.getSpanContext(ctx)) return '';
        const carrier: Record<string, string> = {};
        propagation.inject(ctx, carrier);
        return Object.keys(carrier).length > 0 ? JSON.stringify(carrier) : '';
      },
      fromMetadata(active: Context, metadata: string): Context {
        let carrier: unknown;
        try {
          carrier = JSON.parse(metadata);
        } catch {
          return active;
        }
        if (carrier === null || typeof carrier !== 'object' || Array.isArray(carrier)) return active;
        const strings: Record<string, string> = {};
        for (const [key, value] of Object.entries(carrier)) if (typeof value === 'string') strings[key] = value;
        return propagation.extract(active, strings);
      },
    };
  }
}

/** One OpenTelemetry span as BullMQ's `Span`, with the result event attribute dropped. */
class BullMqSpan implements Span<Context> {
  constructor(private readonly span: OtelSpan) {}

  setSpanOnContext(ctx: Context): Context {
    return trace.setSpan(ctx, this.span);
  }

  setAttribute(key: string, value: AttributeValue): void {
    this.span.setAttribute(key, value);
  }

  setAttributes(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  addEvent(name: string, attributes?: Attributes): void {
    if (!attributes) {
      this.span.addEvent(name);
      return;
    }
    const kept: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) if (!DROPPED_EVENT_ATTRIBUTES.includes(key)) kept[key] = value;
    this.span.addEvent(name, kept);
  }

  recordException(exception: Exception, time?: Time): void {
    this.span.recordException(exception, time);
  }

  end(): void {
    this.span.end();
  }
}

/** The span of housekeeping work outside any trace: records nothing, changes no context. */
const NON_RECORDING: Span<Context> = {
  setSpanOnContext: (ctx) => ctx,
  setAttribute: () => undefined,
  setAttributes: () => undefined,
  addEvent: () => undefined,
  recordException: () => undefined,
  end: () => undefined,
};
