import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { findEmbeddedIpv4 } from './find-embedded-ipv4';

// IANA's global unicast space (RFC 4291 §2.4, IANA IPv6 Address Space registry): no public host
// has an IPv6 address outside it, except the NAT64 well-known prefix (judged by its IPv4).
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

// The ipaddr.js ranges that may carry an IPv4 address, so are decided by it; every other named
// range (loopback, linkLocal, uniqueLocal, multicast, reserved, discard ...) is refused as is.
const JUDGED_BY_EMBEDDED = new Set(['unicast', 'ipv4Mapped', 'rfc6145', 'rfc6052', '6to4', 'teredo']);

/**
 * Why a client must not connect to `address`, or `null` when it is a public unicast address.
 *
 * `address` is an IPv4 or IPv6 literal as `net.isIP` accepts it (brackets and an IPv6 zone id
 * allowed). Anything else gives `not an IP address`. The answer is a range name:
 *
 * - IPv4: the `ipaddr.js` range, e.g. `loopback`, `private`, `linkLocal` (169.254.0.0/16, with
 *   the cloud metadata service 169.254.169.254), `carrierGradeNat`, `unspecified`, `multicast`,
 *   `broadcast`, `reserved`, `benchmarking`.
 * - IPv6: the `ipaddr.js` range (`loopback`, `linkLocal` fe80::/10, `uniqueLocal` fc00::/7,
 *   `multicast`, `reserved` ...), then the IPv4 embeddings of {@link findEmbeddedIpv4}: when any
 *   embedded IPv4 address is non-public the answer is its range, so `::ffff:127.0.0.1`,
 *   `::127.0.0.1`, `64:ff9b::7f00:1`, `2002:7f00:1::` are all `loopback`. Then:
 *   - IPv4-mapped, IPv4-translated, NAT64 `64:ff9b::/96` and 6to4 carrying a public IPv4
 *     address are allowed: they reach that public host (NAT64 is how an IPv6-only network
 *     reaches IPv4 sites).
 *   - Refused outright whatever they carry: IPv4-compatible `::a.b.c.d` as `ipv4Compatible`
 *     (deprecated by RFC 4291 §2.5.5.1; no site uses it, and a kernel with a `sit` tunnel
 *     sends it to the embedded address), Teredo 2001::/32 as `teredo` (a tunnel through a
 *     relay of someone else's choosing; IANA lists it as not globally reachable), the NAT64
 *     local-use prefix 64:ff9b:1::/48 as `nat64LocalUse` (RFC 8215: local by definition, and
 *     where it puts the IPv4 address depends on the operator's prefix length), and every other
 *     address outside the global unicast space 2000::/3 as `reserved`.
 *
 * IPv6 text is read by the WHATWG URL parser, not ipaddr.js, which reads `::a.b.c.d` as the
 * IPv4-mapped `::ffff:a.b.c.d` (another address than the one a socket connects to); glibc's
 * `getaddrinfo` prints IPv4-compatible answers that way, so DNS answers need it too.
 */
export function classifyAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  switch (isIP(bare)) {
    case 4:
      return classifyIpv4(ipaddr.IPv4.parse(bare));
    case 6: {
      const parsed = parseIpv6(bare);
      return parsed ? classifyIpv6(parsed) : 'not an IP address';
    }
    default:
      return 'not an IP address';
  }
}

function classifyIpv4(address: ipaddr.IPv4): string | null {
  const range = address.range();
  return range === 'unicast' ? null : range;
}

function classifyIpv6(address: ipaddr.IPv6): string | null {
  const range = address.range();
  if (!JUDGED_BY_EMBEDDED.has(range)) return range;
  const embeddings = findEmbeddedIpv4(address);
  for (const { addresses } of embeddings) {
    for (const ipv4 of addresses) {
      const reason = classifyIpv4(ipv4);
      if (reason !== null) return reason;
    }
  }
  if (range === 'teredo') return 'teredo';
  if (range === 'rfc6052' && !address.match(NAT64_WELL_KNOWN)) return 'nat64LocalUse';
  if (embeddings.some((e) => e.form === 'ipv4Compatible')) return 'ipv4Compatible';
  if (range === 'unicast' && !address.match(GLOBAL_UNICAST)) return 'reserved';
  return null;
}

/** The address a socket would use for `text` (zone id dropped), or `null` if unparsable. */
function parseIpv6(text: string): ipaddr.IPv6 | null {
  const withoutZone = text.split('%')[0];
  try {
    // The URL Standard's IPv6 parser reads `::a.b.c.d` as RFC 4291 §2.2 says, and serialises
    // to plain hex, which ipaddr.js then reads unambiguously.
    const hex = new URL(`http://[${withoutZone}]/`).hostname.slice(1, -1);
    return ipaddr.IPv6.parse(hex);
  } catch {
    return null;
  }
}
