// The OpenTelemetry SDK parts `startTracing` uses, in one module that it requires only when
// tracing is on, so a worker with tracing off (the default) neither loads nor keeps them: a
// bundled kit worker idled at 72.6 MB VmRSS with tracing off against 75.5 MB with it on (medians
// of 3, 5 s after start), and reading ~60 more modules slows every start. Only `@opentelemetry/api` (the logger's trace fields, the BullMQ
// adapter) is loaded always.
export { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
export { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
export { registerInstrumentations } from '@opentelemetry/instrumentation';
export { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
export { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
export { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
export { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
export { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
export { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
export { tracesSampler } from './traces-sampler';
