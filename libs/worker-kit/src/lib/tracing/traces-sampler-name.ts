/**
 * The `OTEL_TRACES_SAMPLER` values the kit supports (OpenTelemetry's SDK environment variable
 * specification): `always_on`, `always_off`, `traceidratio` (a share of traces by trace id,
 * `OTEL_TRACES_SAMPLER_ARG` from 0 to 1), and the `parentbased_` forms that follow the caller's
 * decision when a job carries one (the web request's trace stays whole) and apply the named
 * sampler to new traces. Default `parentbased_always_on`.
 */
export const TRACES_SAMPLER_NAMES = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_traceidratio'] as const;

/** One of {@link TRACES_SAMPLER_NAMES}. */
export type TracesSamplerName = (typeof TRACES_SAMPLER_NAMES)[number];
