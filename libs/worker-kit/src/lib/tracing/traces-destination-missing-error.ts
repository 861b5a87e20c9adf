/**
 * `startTracing` was given nowhere to send spans: no `config.tracesUrl` (from
 * `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) and no `spanProcessors`.
 * A wiring mistake, not a runtime condition: `loadTracingConfig` only turns tracing on with a URL,
 * so the app should fail at start-up and be fixed.
 */
export class TracesDestinationMissingError extends Error {
  override readonly name = 'TracesDestinationMissingError';
  constructor() {
    super('startTracing: no traces URL (OTEL_EXPORTER_OTLP_ENDPOINT) and no span processors');
  }
}
