import ipaddr from 'ipaddr.js';

/**
 * Why the crawler must not connect to `address`, or `null` when it is a public unicast address.
 *
 * `address` is an IPv4 or IPv6 literal (no brackets; an IPv6 zone id is allowed). The answer is
 * the `ipaddr.js` range name of the address: `loopback`, `private`, `linkLocal` (169.254.0.0/16,
 * including the cloud metadata service 169.254.169.254, and fe80::/10), `uniqueLocal`
 * (fc00::/7), `carrierGradeNat` (100.64.0.0/10), `unspecified`, `multicast`, `broadcast`,
 * `reserved`, `benchmarking` ..., or `not an IP address`.
 *
 * IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated, NAT64
 * `64:ff9b::/96` and 6to4 `2002::/16`) are judged by the IPv4 address inside, so
 * `::ffff:127.0.0.1` is `loopback` while NAT64 on an IPv6-only network still reaches public
 * sites. Teredo is refused outright: its embedded client address is obfuscated.
 */
export function classifyAddress(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return 'not an IP address';
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') {
    const range = parsed.range();
    return range === 'unicast' ? null : range;
  }
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  const bytes = v6.toByteArray();
  switch (range) {
    case 'unicast':
      return null;
    case 'ipv4Mapped':
    case 'rfc6145':
    case 'rfc6052':
      return classifyAddress(bytes.slice(12, 16).join('.'));
    case '6to4':
      return classifyAddress(bytes.slice(2, 6).join('.'));
    default:
      return range;
  }
}
