import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import { RedisConfigError } from './redis-config-error';

/**
 * What a TLS connection to Redis trusts and presents, read once from the environment. The
 * server's certificate is always verified (Node's `rejectUnauthorized`, never turned off).
 */
export interface RedisTlsSettings {
  /** PEM CA bundle the server's certificate must chain to; undefined: Node's public root CAs. */
  readonly ca?: string;
  /** PEM client certificate (chain) for mutual TLS. */
  readonly cert?: string;
  /**
   * PEM private key of `cert`. Not enumerable, so logging or serialising the settings never
   * prints it; read it by name.
   */
  readonly key?: string;
  /** Name the certificate is checked against, and sent as SNI, instead of the host connected to. */
  readonly servername?: string;
}

/** The environment variables of {@link redisTlsSettingsFromEnv}. */
export type RedisTlsEnv = Partial<Record<'REDIS_TLS_CA' | 'REDIS_TLS_CERT' | 'REDIS_TLS_KEY' | 'REDIS_TLS_SERVERNAME', string>>;

const PEM_VARIABLES = ['REDIS_TLS_CA', 'REDIS_TLS_CERT', 'REDIS_TLS_KEY'] as const;
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\.?$/;

type Problem = { variable: string; message: string };

/**
 * Reads the TLS settings of the Redis connection:
 *
 * | variable | meaning |
 * | --- | --- |
 * | `REDIS_TLS_CA` | CA bundle the server's certificate must chain to: a path to a PEM file, or the PEM itself (a value starting with `-----BEGIN`; `\n` escapes allowed). Unset: Node's public root CAs (managed Redis with a public certificate) |
 * | `REDIS_TLS_CERT`, `REDIS_TLS_KEY` | client certificate and its key (mutual TLS), path or PEM; both or neither |
 * | `REDIS_TLS_SERVERNAME` | host name to verify the certificate against (and send as SNI) when connecting by IP address or by another name |
 *
 * Files are read here, once; each PEM is parsed, and the certificate and key are checked to
 * belong together, so a mistake fails the start instead of every connection.
 * @param tls - whether TLS is on (`rediss://` or `REDIS_TLS=true`).
 * @returns the settings when TLS is on (empty when no variable is set); undefined when it is off.
 * @throws RedisConfigError naming each variable that is unreadable, not PEM, unmatched, or set
 *   while TLS is off (a plain connection would silently ignore it).
 */
export function redisTlsSettingsFromEnv(env: RedisTlsEnv, tls: boolean): RedisTlsSettings | undefined {
  const value = (name: keyof RedisTlsEnv) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const problems: Problem[] = [];
  if (!tls) {
    for (const name of [...PEM_VARIABLES, 'REDIS_TLS_SERVERNAME'] as const) {
      if (value(name)) problems.push({ variable: name, message: 'is set but TLS is off: use a rediss:// REDIS_URL or REDIS_TLS=true' });
    }
    if (problems.length > 0) throw new RedisConfigError(problems);
    return undefined;
  }
  const pem: Partial<Record<(typeof PEM_VARIABLES)[number], string>> = {};
  for (const name of PEM_VARIABLES) {
    const v = value(name);
    if (v === undefined) continue;
    const text = readPem(name, v, problems);
    if (text === undefined) continue;
    const problem = name === 'REDIS_TLS_KEY' ? keyProblem(text) : certificatesProblem(text);
    if (problem) problems.push({ variable: name, message: problem });
    else pem[name] = text;
  }
  if (value('REDIS_TLS_CERT') && !value('REDIS_TLS_KEY')) problems.push({ variable: 'REDIS_TLS_KEY', message: 'is required with REDIS_TLS_CERT' });
  if (value('REDIS_TLS_KEY') && !value('REDIS_TLS_CERT')) problems.push({ variable: 'REDIS_TLS_CERT', message: 'is required with REDIS_TLS_KEY' });
  const servername = value('REDIS_TLS_SERVERNAME');
  if (servername !== undefined && isIP(servername) !== 0) {
    // SNI carries host names only (RFC 6066 section 3); an address is verified by connecting to it.
    problems.push({ variable: 'REDIS_TLS_SERVERNAME', message: 'must be a host name, not an IP address (connect to the address instead)' });
  } else if (servername !== undefined && !HOST_NAME.test(servername)) {
    problems.push({ variable: 'REDIS_TLS_SERVERNAME', message: 'must be a host name' });
  }
  if (problems.length === 0 && pem.REDIS_TLS_CERT && pem.REDIS_TLS_KEY) {
    try {
      createSecureContext({ cert: pem.REDIS_TLS_CERT, key: pem.REDIS_TLS_KEY });
    } catch (err) {
      problems.push({ variable: 'REDIS_TLS_KEY', message: `does not fit REDIS_TLS_CERT (${reasonOf(err)})` });
    }
  }
  if (problems.length > 0) throw new RedisConfigError(problems);
  const settings: RedisTlsSettings = { ca: pem.REDIS_TLS_CA, cert: pem.REDIS_TLS_CERT, servername };
  Object.defineProperty(settings, 'key', { value: pem.REDIS_TLS_KEY, enumerable: false });
  return Object.freeze(settings);
}

/** The PEM text of a variable: inline, or read from the file it names. */
function readPem(name: string, value: string, problems: Problem[]): string | undefined {
  if (value.startsWith('-----BEGIN')) return value.replace(/\\n/g, '\n');
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    // The code, not the path: the value of a *_KEY variable is treated as a secret everywhere.
    const code = (err as NodeJS.ErrnoException).code ?? 'unknown error';
    problems.push({ variable: name, message: `cannot read the file it names (${code}); set a path to a PEM file, or the PEM itself` });
    return undefined;
  }
}

function certificatesProblem(text: string): string | undefined {
  const blocks = text.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) return 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)';
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (err) {
      return `certificate ${index + 1} cannot be parsed (${reasonOf(err)})`;
    }
  }
  return undefined;
}

function keyProblem(text: string): string | undefined {
  try {
    createPrivateKey(text);
    return undefined;
  } catch (err) {
    return `holds no usable PEM private key (${reasonOf(err)})`;
  }
}

function reasonOf(err: unknown): string {
  const reason = (err as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : err instanceof Error ? err.message : String(err);
}
