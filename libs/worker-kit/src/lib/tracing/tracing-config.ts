import { ConfigError, type ConfigProblem } from '../config-error';
import { registerSecrets } from '../redact-secrets';
import { TRACES_SAMPLER_NAMES, type TracesSamplerName } from './traces-sampler-name';

/** The resolved tracing settings of a worker process (`WorkerConfig.tracing`). */
export interface TracingConfig {
  /**
   * Spans are made and exported: `OTEL_EXPORTER_OTLP_ENDPOINT` or
   * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set and `OTEL_SDK_DISABLED` is not `true`.
   */
  readonly enabled: boolean;
  /**
   * Where spans are POSTed (OTLP/HTTP, JSON): `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, else
   * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`; undefined when tracing is off.
   */
  readonly tracesUrl: string | undefined;
  /**
   * Headers sent with every export (`OTEL_EXPORTER_OTLP_HEADERS`, `k=v,k2=v2`, values
   * URL-decoded), e.g. a collector's API key: secrets, registered for redaction, never logged.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** `service.name` of every span (`OTEL_SERVICE_NAME`); undefined: the app's name (`seo-worker`). */
  readonly serviceName: string | undefined;
  /** `OTEL_TRACES_SAMPLER` (default `parentbased_always_on`). */
  readonly sampler: TracesSamplerName;
  /** `OTEL_TRACES_SAMPLER_ARG`: share of new traces kept by the ratio samplers, 0-1; default 1. */
  readonly samplerRatio: number;
}

const DEFAULT_SAMPLER: TracesSamplerName = 'parentbased_always_on';

/**
 * Reads the tracing settings from the standard OpenTelemetry variables (the SDK environment
 * variable specification), once, at the edge:
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `OTEL_EXPORTER_OTLP_ENDPOINT` | collector base URL (http/https); traces go to `<url>/v1/traces` | unset: tracing off |
 * | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | full traces URL, wins over the above | unset |
 * | `OTEL_EXPORTER_OTLP_HEADERS` | `k=v,…` sent with each export (secret) | none |
 * | `OTEL_SERVICE_NAME` | `service.name` | the app's name |
 * | `OTEL_TRACES_SAMPLER` | one of `TRACES_SAMPLER_NAMES` | `parentbased_always_on` |
 * | `OTEL_TRACES_SAMPLER_ARG` | ratio 0-1 of the `traceidratio` samplers | 1 |
 * | `OTEL_SDK_DISABLED` | `true` turns tracing off whatever else is set | false |
 *
 * The header values are registered for redaction (`registerSecrets`) before anything is checked.
 * Empty values count as unset.
 * @param env - the environment as read by the config module (never `process.env` itself).
 * @throws ConfigError naming every bad variable (never its value): an endpoint that is not an
 *   http(s) URL or has a query string or fragment, a header entry without `=` or with a bad escape, an unknown sampler, a ratio
 *   outside 0-1.
 */
export function tracingConfigFromEnv(env: Readonly<Record<string, string | undefined>>): TracingConfig {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const problems: ConfigProblem[] = [];
  const invalid = (variable: string, message: string) => problems.push({ variable, kind: 'invalid', message });

  const headers = parseHeaders(value('OTEL_EXPORTER_OTLP_HEADERS'), (message) => invalid('OTEL_EXPORTER_OTLP_HEADERS', message));
  const base = httpUrl(value('OTEL_EXPORTER_OTLP_ENDPOINT'), (message) => invalid('OTEL_EXPORTER_OTLP_ENDPOINT', message));
  const tracesEndpoint = httpUrl(value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'), (message) => invalid('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', message));

  const samplerRaw = value('OTEL_TRACES_SAMPLER')?.toLowerCase() ?? DEFAULT_SAMPLER;
  const sampler = (TRACES_SAMPLER_NAMES as readonly string[]).includes(samplerRaw) ? (samplerRaw as TracesSamplerName) : undefined;
  if (!sampler) invalid('OTEL_TRACES_SAMPLER', `must be one of ${TRACES_SAMPLER_NAMES.join(', ')}`);
  let samplerRatio = 1;
  const ratioRaw = value('OTEL_TRACES_SAMPLER_ARG');
  // Only the ratio samplers take an argument; the others ignore it, as the specification says.
  if (ratioRaw !== undefined && sampler?.endsWith('traceidratio')) {
    const ratio = Number(ratioRaw);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) invalid('OTEL_TRACES_SAMPLER_ARG', 'must be a number from 0 to 1');
    else samplerRatio = ratio;
  }
  if (problems.length > 0 || !sampler) throw new ConfigError(problems);

  const disabled = value('OTEL_SDK_DISABLED')?.toLowerCase() === 'true';
  const tracesUrl = disabled ? undefined : (tracesEndpoint ?? (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined));
  return Object.freeze({
    enabled: tracesUrl !== undefined,
    tracesUrl,
    headers: Object.freeze(headers),
    serviceName: value('OTEL_SERVICE_NAME'),
    sampler,
    samplerRatio,
  });
}

/**
 * `text` when it is an absolute http(s) URL without a query string or fragment; else reports why
 * and returns undefined. A query or fragment is refused: on the base endpoint `/v1/traces` would
 * be appended after it (`…/?k=X/v1/traces`), and a key in a URL ends up in proxies' logs — the
 * specification's place for credentials is OTEL_EXPORTER_OTLP_HEADERS.
 */
function httpUrl(text: string | undefined, report: (message: string) => void): string | undefined {
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // reported below
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    report('must be an http:// or https:// URL');
    return undefined;
  }
  // `new URL('http://c/?').search` is '': look at the text for a bare `?` or `#` too.
  if (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#')) {
    report('must not have a query string (?…) or fragment (#…); send credentials in OTEL_EXPORTER_OTLP_HEADERS');
    return undefined;
  }
  return text;
}

/**
 * `k=v,k2=v2` as an object, values URL-decoded (the specification's format, W3C baggage-like);
 * every value registered as a secret first, so even a refused list never reaches a log.
 */
function parseHeaders(text: string | undefined, report: (message: string) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === undefined) return headers;
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  registerSecrets([text, ...entries.map((entry) => entry.slice(entry.indexOf('=') + 1).trim())]);
  for (const [index, entry] of entries.entries()) {
    const at = entry.indexOf('=');
    const key = at > 0 ? entry.slice(0, at).trim() : '';
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) {
      report(`entry ${index + 1} must be name=value with a header name before "="`);
      continue;
    }
    try {
      const decoded = decodeURIComponent(entry.slice(at + 1).trim());
      // `Bearer <token>`, `Basic <credentials>`: the credentials alone turn up in text too.
      const scheme = /^\S+\s+(.+)$/.exec(decoded);
      registerSecrets([decoded, scheme?.[1]]);
      headers[key.toLowerCase()] = decoded;
    } catch {
      report(`entry ${index + 1} (${key}) has a malformed %-escape`);
    }
  }
  return headers;
}
