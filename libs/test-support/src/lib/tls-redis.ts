import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { trackChildProcess } from './leak-check';
import { freePort, hasRedisServer, RedisServerMissingError, type ThrowawayRedis } from './throwaway-redis';

/** PEM files made for a test in a temporary directory, all valid for one day. */
export interface TestCertificates {
  readonly dir: string;
  /** The CA that signed the server and client certificates. */
  readonly caCert: string;
  /** Server certificate for `serverNames` (default 127.0.0.1 and localhost), and its key. */
  readonly serverCert: string;
  readonly serverKey: string;
  /** A client certificate (mutual TLS) signed by the same CA, and its key. */
  readonly clientCert: string;
  readonly clientKey: string;
  /** A second, unrelated CA, which signed nothing the server presents. */
  readonly otherCaCert: string;
  /** Deletes the directory. */
  remove(): void;
}

/** No `openssl` on PATH; the message says how to install it. */
export class OpensslMissingError extends Error {
  override readonly name = 'OpensslMissingError';
  constructor() {
    super('No openssl found on PATH. Install it (Debian/Ubuntu: `sudo apt-get install openssl`).');
  }
}

function openssl(dir: string, args: readonly string[]): void {
  const run = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') throw new OpensslMissingError();
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed (${run.status}): ${run.stderr}`);
}

/** A new P-256 key and a certificate request for `cn`, signed by `ca` with the extensions given. */
function issue(dir: string, name: string, cn: string, ca: string, extensions: string): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`]);
}

function selfSignedCa(dir: string, name: string, cn: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '1', '-subj', `/CN=${cn}`]);
}

/**
 * Makes a test CA, a server certificate it signs for `serverNames` (IP addresses and DNS names;
 * default `127.0.0.1` and `localhost`), a client certificate it signs, and a second unrelated
 * CA, with the `openssl` command (EC P-256 keys, about 20 ms each).
 * @throws OpensslMissingError when `openssl` is not installed.
 */
export function makeTestCertificates(options: { serverNames?: readonly string[] } = {}): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'redis-tls-'));
  try {
    selfSignedCa(dir, 'ca', 'jobs test CA');
    selfSignedCa(dir, 'other-ca', 'unrelated test CA');
    const names = (options.serverNames ?? ['127.0.0.1', 'localhost']).map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`));
    issue(dir, 'server', 'redis test server', 'ca', `subjectAltName=${names.join(',')}\nextendedKeyUsage=serverAuth\n`);
    issue(dir, 'client', 'redis test client', 'ca', 'extendedKeyUsage=clientAuth\n');
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
    otherCaCert: join(dir, 'other-ca.crt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts a throwaway `redis-server` that speaks TLS only (`--port 0 --tls-port <free>`) on
 * 127.0.0.1 with `certificates`' server certificate, no persistence and `noeviction`;
 * `authClients` (default false) makes it require a client certificate signed by the test CA
 * (`--tls-auth-clients yes`). `url` is `rediss://127.0.0.1:<port>`. Resolves once it answers
 * PING over TLS with its own process id (a port lost to another process is retried, 5 tries).
 * @throws RedisServerMissingError when no `redis-server` is installed.
 */
export async function startTlsRedis(options: { certificates: TestCertificates; authClients?: boolean }): Promise<ThrowawayRedis> {
  if (!hasRedisServer()) throw new RedisServerMissingError();
  for (let attempt = 1; ; attempt += 1) {
    const started = await startOnFreePort(options.certificates, options.authClients ?? false);
    if (started) return started;
    if (attempt === 5) throw new Error('TLS redis-server did not start on any of 5 free ports');
  }
}

async function startOnFreePort(c: TestCertificates, authClients: boolean): Promise<ThrowawayRedis | undefined> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      ...['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'],
      ...['--tls-cert-file', c.serverCert, '--tls-key-file', c.serverKey, '--tls-ca-cert-file', c.caCert],
      ...['--tls-auth-clients', authClients ? 'yes' : 'no'],
    ],
    { stdio: 'ignore', detached: true },
  );
  trackChildProcess(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const tls = { ca: readFileSync(c.caCert), cert: readFileSync(c.clientCert), key: readFileSync(c.clientKey) };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis({ host: '127.0.0.1', port, tls, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    let pid: number | undefined;
    try {
      await client.connect();
      pid = Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]);
    } catch {
      // not up yet, or another process on the port
    } finally {
      client.disconnect();
    }
    if (pid === child.pid) break;
    if (pid !== undefined || child.exitCode !== null || child.signalCode !== null) {
      child.kill('SIGKILL');
      await exited;
      return undefined;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`TLS redis-server on port ${port} did not start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `rediss://127.0.0.1:${port}`,
    port,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}
