import { ConfigError } from '../config-error';
import { redactSecrets } from '../redact-secrets';
import { loadWorkerConfig } from '../worker-config';
import { tracingConfigFromEnv } from './tracing-config';

const defaults = { concurrency: 1, maxJobsPerSecond: 0, healthPort: 0 };

/** The variables a refused configuration names. */
function refused(env: Record<string, string>): string[] {
  try {
    tracingConfigFromEnv(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.variable);
    throw err;
  }
  throw new Error('the configuration was accepted');
}

describe('tracingConfigFromEnv', () => {
  it('is off by default, with the parent-based always-on sampler', () => {
    expect(tracingConfigFromEnv({})).toEqual({
      enabled: false,
      tracesUrl: undefined,
      headers: {},
      serviceName: undefined,
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
    });
    expect(loadWorkerConfig(defaults, {}).tracing.enabled).toBe(false);
  });

  it('is on with an OTLP endpoint: traces go to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toMatchObject({ enabled: true, tracesUrl: 'http://collector:4318/v1/traces' });
    expect(
      tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp' }),
    ).toMatchObject({ enabled: true, tracesUrl: 'https://traces.example/otlp' });
  });

  it('is off when OTEL_SDK_DISABLED is true, whatever else is set', () => {
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'True' }).enabled).toBe(false);
    expect(tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'false' }).enabled).toBe(true);
  });

  it('reads the service name, sampler and ratio', () => {
    expect(
      tracingConfigFromEnv({ OTEL_SERVICE_NAME: 'seo-eu', OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }),
    ).toMatchObject({ serviceName: 'seo-eu', sampler: 'parentbased_traceidratio', samplerRatio: 0.25 });
    for (const sampler of ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on']) {
      expect(tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: sampler }).sampler).toBe(sampler);
    }
    // The argument of a sampler that takes none is ignored, as the specification says.
    expect(tracingConfigFromEnv({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: 'x' }).samplerRatio).toBe(1);
  });

  it('refuses a bad sampler, ratio or URL, naming the variable', () => {
    expect(refused({ OTEL_TRACES_SAMPLER: 'sometimes' })).toEqual(['OTEL_TRACES_SAMPLER']);
    expect(refused({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' })).toEqual(['OTEL_TRACES_SAMPLER_ARG']);
    expect(refused({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: 'half' })).toEqual(['OTEL_TRACES_SAMPLER_ARG']);
    expect(refused({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT']);
    expect(refused({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' })).toEqual(['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']);
    // A query or fragment: `/v1/traces` would land after it, and a key in a URL reaches proxies' logs.
    expect(refused({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/?k=X' })).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT']);
    expect(refused({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318#frag' })).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT']);
    expect(refused({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/?' })).toEqual(['OTEL_EXPORTER_OTLP_ENDPOINT']);
    expect(refused({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp?api_key=query-canary-7781' })).toEqual([
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    ]);
    expect(() => tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/?key=query-canary-7781' })).toThrow(/query string/);
    expect(() => tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/?key=query-canary-7781' })).not.toThrow(/canary/);
    // With the kit's other variables, in one message.
    expect(() => loadWorkerConfig(defaults, { OTEL_TRACES_SAMPLER: 'sometimes', WORKER_CONCURRENCY: 'many' })).toThrow(
      /WORKER_CONCURRENCY.*OTEL_TRACES_SAMPLER|OTEL_TRACES_SAMPLER.*WORKER_CONCURRENCY/,
    );
  });

  it('parses OTEL_EXPORTER_OTLP_HEADERS as secrets: decoded, registered for redaction, never in a message', () => {
    const config = tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20hdr-secret-5521, x-team = ops-team-key-88' });
    expect(config.headers).toEqual({ authorization: 'Bearer hdr-secret-5521', 'x-team': 'ops-team-key-88' });
    expect(redactSecrets('sent ops-team-key-88 and hdr-secret-5521')).toBe('sent *** and ***');
    let message = '';
    try {
      tracingConfigFromEnv({ OTEL_EXPORTER_OTLP_HEADERS: 'api-key=good-value-1234,no-equals-canary-3321' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('OTEL_EXPORTER_OTLP_HEADERS');
    expect(message).not.toContain('canary');
    expect(refused({ OTEL_EXPORTER_OTLP_HEADERS: 'k=%E0%A4%A' })).toEqual(['OTEL_EXPORTER_OTLP_HEADERS']);
  });
});
