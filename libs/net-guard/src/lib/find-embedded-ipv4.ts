import ipaddr from 'ipaddr.js';

/** How an IPv6 address carries an IPv4 address; see {@link findEmbeddedIpv4}. */
export type Ipv4EmbeddingForm =
  | 'ipv4Compatible'
  | 'ipv4Mapped'
  | 'ipv4Translated'
  | 'nat64'
  | '6to4'
  | 'teredo'
  | 'isatap';

/** One IPv4 embedding found in an IPv6 address. */
export interface EmbeddedIpv4 {
  readonly form: Ipv4EmbeddingForm;
  /** The IPv4 addresses carried: one, or for Teredo the server then the (de-obfuscated) client. */
  readonly addresses: readonly ipaddr.IPv4[];
}

const cidr = (text: string): [ipaddr.IPv6, number] => ipaddr.IPv6.parseCIDR(text);

// Prefixes of the forms whose IPv4 address sits at a fixed place.
const IPV4_COMPATIBLE = cidr('::/96'); // RFC 4291 §2.5.5.1 (deprecated)
const IPV4_MAPPED = cidr('::ffff:0:0/96'); // RFC 4291 §2.5.5.2
const IPV4_TRANSLATED = cidr('::ffff:0:0:0/96'); // RFC 2765 §2.1 / RFC 6145
const NAT64_WELL_KNOWN = cidr('64:ff9b::/96'); // RFC 6052 §2.1
const SIX_TO_FOUR = cidr('2002::/16'); // RFC 3056 §2
const TEREDO = cidr('2001::/32'); // RFC 4380 §4

const v4 = (bytes: readonly number[]): ipaddr.IPv4 => new ipaddr.IPv4([...bytes]);

/**
 * Every IPv4 address an IPv6 address carries, by the standard embeddings, in the order listed:
 *
 * - `ipv4Compatible` `::a.b.c.d` (::/96, RFC 4291 §2.5.5.1, deprecated): last 32 bits. `::` and
 *   `::1` are the unspecified and loopback addresses, not embeddings.
 * - `ipv4Mapped` `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2): last 32 bits; a dual-stack socket sends
 *   it over IPv4.
 * - `ipv4Translated` `::ffff:0:a.b.c.d` (::ffff:0:0:0/96, RFC 2765 / RFC 6145): last 32 bits.
 * - `nat64` `64:ff9b::a.b.c.d` (the well-known prefix 64:ff9b::/96, RFC 6052 §2.1): last 32
 *   bits. The local-use prefix 64:ff9b:1::/48 (RFC 8215) is not listed: the operator picks the
 *   prefix length inside it, so where the IPv4 address sits cannot be known.
 * - `6to4` `2002:AABB:CCDD::/48` (RFC 3056 §2): bits 16-47.
 * - `teredo` `2001:0:SSSS:SSSS:flags:port:CCCC:CCCC` (2001::/32, RFC 4380 §4): the server in
 *   bits 32-63, the client in bits 96-127 with every bit inverted.
 * - `isatap` interface id `0000:5efe:a.b.c.d` or `0200:5efe:a.b.c.d` under any prefix (RFC 5214
 *   §6.1; the u and g bits may be set): last 32 bits. An ISATAP host reaches it by tunnelling
 *   straight to that IPv4 address.
 *
 * Written here because ipaddr.js names the ranges (`ipv4Mapped`, `rfc6145`, `rfc6052`, `6to4`,
 * `teredo`) but only extracts the mapped form, and files IPv4-compatible addresses under
 * `unicast`.
 *
 * @param address - a parsed IPv6 address.
 * @returns the embeddings found (usually none or one), never throws.
 */
export function findEmbeddedIpv4(address: ipaddr.IPv6): EmbeddedIpv4[] {
  const bytes = address.toByteArray();
  const last32 = bytes.slice(12, 16);
  const found: EmbeddedIpv4[] = [];
  const unspecifiedOrLoopback = bytes.slice(0, 15).every((b) => b === 0) && bytes[15] <= 1;
  if (address.match(IPV4_COMPATIBLE) && !unspecifiedOrLoopback) {
    found.push({ form: 'ipv4Compatible', addresses: [v4(last32)] });
  }
  if (address.match(IPV4_MAPPED)) found.push({ form: 'ipv4Mapped', addresses: [v4(last32)] });
  if (address.match(IPV4_TRANSLATED)) found.push({ form: 'ipv4Translated', addresses: [v4(last32)] });
  if (address.match(NAT64_WELL_KNOWN)) found.push({ form: 'nat64', addresses: [v4(last32)] });
  if (address.match(SIX_TO_FOUR)) found.push({ form: '6to4', addresses: [v4(bytes.slice(2, 6))] });
  if (address.match(TEREDO)) {
    const client = last32.map((b) => b ^ 0xff);
    found.push({ form: 'teredo', addresses: [v4(bytes.slice(4, 8)), v4(client)] });
  }
  if ((bytes[8] & 0xfc) === 0 && bytes[9] === 0 && bytes[10] === 0x5e && bytes[11] === 0xfe) {
    found.push({ form: 'isatap', addresses: [v4(last32)] });
  }
  return found;
}
