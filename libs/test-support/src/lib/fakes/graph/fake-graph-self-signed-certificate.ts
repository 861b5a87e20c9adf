import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIPv4 } from 'node:net';

/** A freshly generated key pair and X.509 certificate, both PEM. */
export interface FakeGraphCertificate {
  /** PKCS#8 private key (EC P-256), PEM. */
  readonly keyPem: string;
  /** Self-signed v3 certificate (CA:TRUE, so a client can trust it as its own anchor), PEM. */
  readonly certPem: string;
}

/** What the certificate is for. */
export interface FakeGraphCertificateOptions {
  /** Subject and issuer common name; default `fake-graph`. */
  readonly commonName?: string;
  /** IPv4 addresses put in subjectAltName; default `['127.0.0.1']`. */
  readonly ipAddresses?: readonly string[];
  /** DNS names put in subjectAltName; default `['localhost']`. */
  readonly dnsNames?: readonly string[];
  /** Validity from one hour ago to `validForMs` from now; default 7 days. */
  readonly validForMs?: number;
}

/**
 * Generates a self-signed TLS certificate in memory, with no `openssl` binary and no key
 * checked into the repository. The Graph SDK only authenticates `https://` URLs (see
 * fake-graph-mail-server.ts), so the fake Graph server needs one; a test trusts it through an
 * undici `Agent({ connect: { ca: certPem } })` rather than by turning verification off.
 *
 * The certificate is DER-encoded by hand (RFC 5280 structure, ECDSA with SHA-256).
 */
export function createSelfSignedCertificate(options: FakeGraphCertificateOptions = {}): FakeGraphCertificate {
  const commonName = options.commonName ?? 'fake-graph';
  const ipAddresses = options.ipAddresses ?? ['127.0.0.1'];
  const dnsNames = options.dnsNames ?? ['localhost'];
  const validForMs = options.validForMs ?? 7 * 24 * 3600_000;

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const ecdsaWithSha256 = sequence(objectId('1.2.840.10045.4.3.2'));
  const name = sequence(set(sequence(objectId('2.5.4.3'), tlv(0x0c, Buffer.from(commonName, 'utf8')))));
  const now = Date.now();

  const altNames = sequence(
    ...ipAddresses.map((ip) => {
      if (!isIPv4(ip)) throw new Error(`Only IPv4 addresses are supported in the fake certificate, got ${ip}`);
      return tlv(0x87, Buffer.from(ip.split('.').map(Number)));
    }),
    ...dnsNames.map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))),
  );
  const extensions = sequence(
    sequence(objectId('2.5.29.19'), tlv(0x01, Buffer.from([0xff])), octetString(sequence(tlv(0x01, Buffer.from([0xff]))))),
    sequence(objectId('2.5.29.17'), octetString(altNames)),
  );
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40; // positive, and no leading zero byte (DER wants minimal)

  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    ecdsaWithSha256,
    name,
    sequence(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + validForMs))),
    name,
    spki,
    tlv(0xa3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value, as X.509 wants
  const certificate = sequence(tbs, ecdsaWithSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));

  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: pem('CERTIFICATE', certificate),
  };
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  let length: Buffer;
  if (n < 0x80) length = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
    length = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

function sequence(...items: Buffer[]): Buffer {
  return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
  return tlv(0x31, Buffer.concat(items));
}

function integer(bigEndian: Buffer): Buffer {
  return tlv(0x02, bigEndian[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bigEndian]) : bigEndian);
}

function octetString(content: Buffer): Buffer {
  return tlv(0x04, content);
}

function objectId(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const bytes = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const base128 = [arc & 0x7f];
    for (let rest = arc >>> 7; rest > 0; rest >>>= 7) base128.unshift(0x80 | (rest & 0x7f));
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  // UTCTime (two-digit year) is what RFC 5280 requires for dates before 2050.
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
