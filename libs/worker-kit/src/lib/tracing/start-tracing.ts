import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import type { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Telemetry } from 'bullmq';
import { withTimeout } from '@jobs/common';
import { OtelBullMqTelemetry } from '@jobs/queue-contracts';
import type { Logger } from '../logger-type';
import type * as OtelSdk from './otel-sdk';
import { RedactingSpanProcessor } from './redacting-span-processor';
import { SpanFlushTimeoutError } from './span-flush-timeout-error';
import { TracesDestinationMissingError } from './traces-destination-missing-error';
import type { TracingConfig } from './tracing-config';

/** The SDK module, loaded on the first start (see otel-sdk.ts: a worker with tracing off never loads it). */
function loadOtelSdk(): typeof OtelSdk {
  // A require, not an import: bundled, it stays a call made only here (esbuild keeps the SDK's
  // packages external and evaluates the bundled module on first require).
  return require('./otel-sdk') as typeof OtelSdk;
}

/** Options of {@link startTracing}. */
export interface StartTracingOptions {
  readonly config: TracingConfig;
  /** `service.name` when `config.serviceName` (`OTEL_SERVICE_NAME`) is unset: the app's name. */
  readonly serviceName: string;
  readonly log: Logger;
  /**
   * Bound (ms) of each export request and of the final flush and shutdown: spans still unsent
   * after it are dropped, so a collector that does not answer never holds up the exit.
   */
  readonly flushTimeoutMs: number;
  /**
   * Where spans go instead of the OTLP exporter (tests: a SimpleSpanProcessor over an
   * InMemorySpanExporter); `config.tracesUrl` is then not used.
   */
  readonly spanProcessors?: readonly SpanProcessor[];
}

/** Tracing of one process, started by {@link startTracing}. */
export interface Tracing {
  /** For BullMQ's Worker/Queue `telemetry` option: its spans on this process's provider. */
  readonly telemetry: Telemetry;
  /** Exports every span ended so far. */
  forceFlush(): Promise<void>;
  /**
   * Flushes the spans not yet sent, stops the exporter and the HTTP instrumentations, and
   * unregisters the provider, context manager and propagator; bounded by `flushTimeoutMs`;
   * never rejects (a failed export is logged without its headers). Idempotent.
   */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for a worker process: a NodeTracerProvider (sampler from
 * `config`, resource `service.name`) registered globally with an AsyncLocalStorage context
 * manager and the W3C trace-context propagator; spans cleaned by `RedactingSpanProcessor`, then
 * batched to the OTLP/HTTP JSON exporter at `config.tracesUrl` with `config.headers`; and the
 * outgoing-HTTP instrumentations, whose client spans are children of the active job's `process`
 * span: `@opentelemetry/instrumentation-undici` (global `fetch` and undici, through
 * diagnostics_channel: works whatever was loaded first) and `@opentelemetry/instrumentation-http`
 * (node:http/https clients, e.g. axios-based SDKs). Incoming server spans are off (health probes
 * make none), and client spans are made only inside a trace (`requireParentfor…`), so token
 * refreshes at start-up and other calls outside any job make no trace of their own.
 *
 * Load order: the http instrumentation patches `http.request`/`get` on the module object when
 * `node:http` is next required (its require hook). A bundled worker has required it (and its
 * SDKs have) long before `main()` runs, and may never require it again, so the already-loaded
 * `node:http` and `node:https` module objects are patched here at once, as that hook would (see
 * `patchLoadedCoreModules`): every client that looks up `http.request` when it calls (axios,
 * follow-redirects, node-fetch, esbuild's bundling of `import … from 'node:http'`) is traced,
 * with no entry file to import first. A client that copied the function away at load
 * (`const { request } = require('http')`) is not: no SDK of ours does.
 * @throws TracesDestinationMissingError when neither `spanProcessors` nor `config.tracesUrl` is given.
 */
export function startTracing(options: StartTracingOptions): Tracing {
  const { config, log } = options;
  const sdk = loadOtelSdk();
  const serviceName = config.serviceName ?? options.serviceName;
  let processors = options.spanProcessors;
  if (!processors) {
    if (!config.tracesUrl) throw new TracesDestinationMissingError();
    const exporter = new sdk.OTLPTraceExporter({ url: config.tracesUrl, headers: { ...config.headers }, timeoutMillis: options.flushTimeoutMs });
    processors = [new sdk.BatchSpanProcessor(exporter, { exportTimeoutMillis: options.flushTimeoutMs })];
  }
  const provider = new sdk.NodeTracerProvider({
    resource: sdk.defaultResource().merge(sdk.resourceFromAttributes({ [sdk.ATTR_SERVICE_NAME]: serviceName })),
    sampler: sdk.tracesSampler(config.sampler, config.samplerRatio),
    spanProcessors: [new RedactingSpanProcessor(), ...processors],
  });
  provider.register({ contextManager: new sdk.AsyncLocalStorageContextManager() });
  const httpInstrumentation = new sdk.HttpInstrumentation({ disableIncomingRequestInstrumentation: true, requireParentforOutgoingSpans: true });
  const unregisterInstrumentations = sdk.registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [httpInstrumentation, new sdk.UndiciInstrumentation({ requireParentforSpans: true })],
  });
  patchLoadedCoreModules(httpInstrumentation);
  log.info(
    { serviceName, tracesUrl: config.tracesUrl && !options.spanProcessors ? redactUrl(config.tracesUrl) : undefined, sampler: config.sampler, samplerRatio: config.samplerRatio },
    'tracing on',
  );

  let stopping: Promise<void> | undefined;
  return {
    telemetry: new OtelBullMqTelemetry(provider.getTracer('bullmq')),
    forceFlush: () => provider.forceFlush(),
    shutdown() {
      stopping ??= (async () => {
        try {
          await withTimeout(provider.shutdown(), options.flushTimeoutMs, () => new SpanFlushTimeoutError(options.flushTimeoutMs));
        } catch (err) {
          log.warn({ err }, 'flushing spans failed: the last spans may be lost');
        } finally {
          unregisterInstrumentations();
          trace.disable();
          context.disable();
          propagation.disable();
        }
      })();
      return stopping;
    },
  };
}

/**
 * Applies `instrumentation`'s patch to the core modules it instruments (`http`, `https`) now,
 * on the shared module objects, as its require hook does for a core module required after it
 * was enabled (`InstrumentationBase._onRequire`: record the exports, then patch). The require
 * hook alone would miss modules loaded before tracing started, and never runs under jest, whose
 * module registry bypasses `Module.prototype.require`. Patching twice is safe: the http
 * instrumentation unwraps before it wraps.
 */
function patchLoadedCoreModules(instrumentation: HttpInstrumentation): void {
  // createRequire, not an import: an import would be bundled or wrapped as a copy of the
  // module's namespace, and the copy is not what other modules call.
  const load = createRequire(__filename);
  for (const definition of instrumentation.getModuleDefinitions()) {
    if (definition.name !== 'http' && definition.name !== 'https') continue;
    const exports: unknown = load(`node:${definition.name}`);
    if (typeof definition.patch !== 'function') continue;
    definition.moduleExports = exports;
    definition.patch(exports);
  }
}

/** The URL without user info or query, for the start-up line. */
function redactUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
