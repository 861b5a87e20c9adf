import { propagation, ROOT_CONTEXT, trace, TraceFlags, type Span as OtelSpan, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OtelBullMqTelemetry } from './otel-bullmq-telemetry';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED });

/** A tracer that records what BullMQ asked of the spans it made. */
function recordingTracer() {
  const calls: { name: string; events: [string, Record<string, unknown> | undefined][] }[] = [];
  const tracer = {
    startSpan(name: string) {
      const call = { name, events: [] as [string, Record<string, unknown> | undefined][] };
      calls.push(call);
      return {
        spanContext: () => ({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 }),
        setAttribute: () => undefined,
        setAttributes: () => undefined,
        addEvent: (event: string, attributes?: Record<string, unknown>) => call.events.push([event, attributes]),
        recordException: () => undefined,
        end: () => undefined,
      } as unknown as OtelSpan;
    },
  } as unknown as Tracer;
  return { tracer, calls };
}

describe('OtelBullMqTelemetry', () => {
  beforeAll(() => propagation.setGlobalPropagator(new W3CTraceContextPropagator()));
  afterAll(() => propagation.disable());

  it('stores the W3C traceparent of a valid span, and nothing without one', () => {
    const { contextManager } = new OtelBullMqTelemetry();
    expect(JSON.parse(contextManager.getMetadata(parent))).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    expect(contextManager.getMetadata(ROOT_CONTEXT)).toBe('');
  });

  it('reads stored metadata back, and ignores metadata that is not a JSON object of strings', () => {
    const { contextManager } = new OtelBullMqTelemetry();
    const restored = contextManager.fromMetadata(ROOT_CONTEXT, contextManager.getMetadata(parent));
    expect(trace.getSpanContext(restored)).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true });
    for (const bad of ['not json', '[1]', 'null', '{"traceparent": 7}']) {
      expect(trace.getSpanContext(contextManager.fromMetadata(ROOT_CONTEXT, bad))).toBeUndefined();
    }
  });

  it('records no housekeeping span outside a trace, and drops the job result from events', () => {
    const { tracer, calls } = recordingTracer();
    const telemetry = new OtelBullMqTelemetry(tracer);
    telemetry.tracer.startSpan('moveStalledJobsToWait seo', { kind: 0 }, ROOT_CONTEXT).end();
    expect(calls).toHaveLength(0);
    // (No context manager is registered here, so the parent is passed as BullMQ does for a job.)
    telemetry.tracer.startSpan('complete seo', { kind: 0 }, parent).end();
    const span = telemetry.tracer.startSpan('process seo', { kind: 4 }, ROOT_CONTEXT);
    span.addEvent('job completed', { 'bullmq.job.result': '{"email":"a@b.example"}', 'bullmq.job.attempts.made': 1 });
    expect(calls.map((c) => c.name)).toEqual(['complete seo', 'process seo']);
    expect(calls[1]!.events).toEqual([['job completed', { 'bullmq.job.attempts.made': 1 }]]);
    expect(telemetry.contextManager.root?.()).toBe(ROOT_CONTEXT);
  });
});
