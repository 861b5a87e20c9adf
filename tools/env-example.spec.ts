import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

const ROOT = resolve(__dirname, '..');
const EXAMPLE = readFileSync(join(ROOT, '.env.example'), 'utf8');
const APPS = readdirSync(join(ROOT, 'apps')).filter((name) => name.endsWith('-worker'));
const CONFIG_FILES = [
  ...APPS.map((app) => `apps/${app}/src/config.ts`),
  'apps/dashboard/src/config.ts',
  'libs/worker-kit/src/lib/worker-config.ts',
  'libs/worker-kit/src/lib/tracing/tracing-config.ts',
  'libs/queue-contracts/src/lib/redis-env.ts',
  'libs/queue-contracts/src/lib/redis-tls-settings.ts',
];

/** Environment variables a config file reads: its schemas' keys and the quoted names it uses. */
function variablesNamedIn(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const keys = [...text.matchAll(/^\s+([A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{2,}):/gm)].map((m) => m[1] as string);
  const quoted = [...text.matchAll(/'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g)].map((m) => m[1] as string);
  return [...new Set([...keys, ...quoted])];
}

/** `.env.example` with its commented `# NAME=default` lines taken as set. */
function exampleWithDefaults(): Record<string, string> {
  const uncommented = EXAMPLE.split('\n')
    .map((line) => line.replace(/^# ([A-Z][A-Z0-9_]*=)/, '$1'))
    .join('\n');
  return parseEnv(uncommented) as Record<string, string>;
}

type LoadConfig = (env: NodeJS.ProcessEnv) => unknown;

// .env.example stays honest as variables are added: every one a config file reads is listed,
// and the defaults it shows are the ones the code applies.
describe('.env.example', () => {
  it.each(CONFIG_FILES)('lists every variable %s reads', (file) => {
    const listed = new Set([...EXAMPLE.matchAll(/^(?:# )?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const variables = variablesNamedIn(file);
    expect(variables.length).toBeGreaterThan(0);
    expect(variables.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('holds placeholders only: every value set is empty', () => {
    const set = parseEnv(EXAMPLE) as Record<string, string>;
    expect(Object.keys(set).length).toBeGreaterThan(0);
    expect(Object.entries(set).filter(([, value]) => value !== '')).toEqual([]);
  });

  it.each(APPS)('shows the defaults %s applies', async (app) => {
    const { loadConfig } = (await import(join(ROOT, 'apps', app, 'src/config.ts'))) as { loadConfig: LoadConfig };
    // Required variables (empty in the file) get a stand-in value in both runs.
    const required: Record<string, string> = {};
    for (const [name, value] of Object.entries(parseEnv(EXAMPLE) as Record<string, string>)) {
      if (value === '') required[name] = name.endsWith('_URL') ? 'https://app.example/x' : 'stand-in-value';
    }
    expect(loadConfig({ ...exampleWithDefaults(), ...required })).toEqual(loadConfig(required));
  });

  it('shows the defaults the dashboard applies', async () => {
    const { loadConfig } = (await import(join(ROOT, 'apps/dashboard/src/config.ts'))) as { loadConfig: LoadConfig };
    // What it requires: a session secret and one credential (both empty in the file).
    const required = { DASHBOARD_SESSION_SECRET: 's'.repeat(32), DASHBOARD_ADMIN_TOKEN_SHA256: 'a'.repeat(64) };
    const example = exampleWithDefaults();
    expect(Object.keys(example).filter((name) => name.startsWith('DASHBOARD_')).length).toBeGreaterThan(10);
    expect(loadConfig({ ...example, ...required })).toEqual(loadConfig(required));
  });

  it('lists the Redis TLS variables, unset (TLS is off by default, and they are refused without it)', () => {
    for (const name of ['REDIS_TLS_CA', 'REDIS_TLS_CERT', 'REDIS_TLS_KEY', 'REDIS_TLS_SERVERNAME']) {
      expect([name, new RegExp(`^# ${name}=$`, 'm').test(EXAMPLE)]).toEqual([name, true]);
    }
  });

  it('lists REDIS_CLUSTER_NODES unset (standalone Redis by default; it is refused with REDIS_URL)', () => {
    expect(EXAMPLE).toMatch(/^# REDIS_CLUSTER_NODES=$/m);
  });

  it('lists the tracing variables the kit reads', () => {
    for (const name of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_SERVICE_NAME', 'OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG', 'OTEL_SDK_DISABLED']) {
      expect([name, new RegExp(`^(?:# )?${name}=`, 'm').test(EXAMPLE)]).toEqual([name, true]);
    }
  });
});
