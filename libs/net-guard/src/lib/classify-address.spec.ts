import { classifyAddress } from './classify-address';

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['not-an-ip', 'not an IP address'],
    ['127.1', 'not an IP address'], // no socket reads this as an IP literal (Node resolves it as a name)
    ['::ffff:0x7f.0.0.1', 'not an IP address'],
  ])('refuses %s as %s', (address, reason) => {
    expect(classifyAddress(address)).toBe(reason);
  });

  // Every IPv6 form that carries an IPv4 address, in hex and dotted spellings, compressed and
  // not, upper and lower case: refused with the embedded address's range when it is non-public.
  describe.each([
    [
      'IPv4-compatible ::a.b.c.d (::/96)',
      [
        ['::127.0.0.1', 'loopback'],
        ['[::127.0.0.1]', 'loopback'],
        ['::7f00:1', 'loopback'],
        ['::7F00:0001', 'loopback'],
        ['0:0:0:0:0:0:127.0.0.1', 'loopback'],
        ['0:0:0:0:0:0:7f00:1', 'loopback'],
        ['0000:0000:0000:0000:0000:0000:7f00:0001', 'loopback'],
        ['::0:127.0.0.1', 'loopback'],
        ['::10.0.0.1', 'private'],
        ['::a00:1', 'private'],
        ['::192.168.0.1', 'private'],
        ['::169.254.169.254', 'linkLocal'],
        ['::a9fe:a9fe', 'linkLocal'],
        ['::100.64.0.1', 'carrierGradeNat'],
        ['::0.0.0.2', 'unspecified'],
      ],
    ],
    [
      'IPv4-mapped ::ffff:a.b.c.d',
      [
        ['::ffff:127.0.0.1', 'loopback'],
        ['::FFFF:127.0.0.1', 'loopback'],
        ['::ffff:7f00:1', 'loopback'],
        ['0:0:0:0:0:ffff:127.0.0.1', 'loopback'],
        ['0:0:0:0:0:FFFF:7F00:0001', 'loopback'],
        ['::ffff:10.0.0.1', 'private'],
        ['::ffff:169.254.169.254', 'linkLocal'],
        ['::ffff:a9fe:a9fe', 'linkLocal'],
        ['::ffff:0.0.0.0', 'unspecified'],
      ],
    ],
    [
      'IPv4-translated ::ffff:0:a.b.c.d (::ffff:0:0:0/96)',
      [
        ['::ffff:0:127.0.0.1', 'loopback'],
        ['::ffff:0:7f00:1', 'loopback'],
        ['0:0:0:0:ffff:0:7f00:1', 'loopback'],
        ['0:0:0:0:ffff:0000:127.0.0.1', 'loopback'],
        ['::ffff:0:192.168.1.1', 'private'],
        ['::ffff:0:a9fe:a9fe', 'linkLocal'],
      ],
    ],
    [
      'NAT64 well-known prefix 64:ff9b::/96',
      [
        ['64:ff9b::127.0.0.1', 'loopback'],
        ['64:ff9b::7f00:1', 'loopback'],
        ['64:FF9B::7F00:1', 'loopback'],
        ['64:ff9b:0:0:0:0:7f00:1', 'loopback'],
        ['0064:ff9b:0000:0000:0000:0000:127.0.0.1', 'loopback'],
        ['64:ff9b::10.0.0.1', 'private'],
        ['64:ff9b::a9fe:a9fe', 'linkLocal'],
        ['64:ff9b::169.254.169.254', 'linkLocal'],
      ],
    ],
    [
      'NAT64 local-use prefix 64:ff9b:1::/48 (refused outright)',
      [
        ['64:ff9b:1::7f00:1', 'nat64LocalUse'],
        ['64:ff9b:1::127.0.0.1', 'nat64LocalUse'],
        ['64:ff9b:1:7f00:0:100::', 'nat64LocalUse'], // 127.0.0.1 laid out for a /48 prefix
        ['64:ff9b:1::8.8.8.8', 'nat64LocalUse'],
        ['64:ff9b:1:ffff:ffff:ffff:ffff:ffff', 'nat64LocalUse'],
      ],
    ],
    [
      '6to4 2002::/16 (IPv4 in bits 16-47)',
      [
        ['2002:7f00:1::', 'loopback'],
        ['2002:7f00:0001::1', 'loopback'],
        ['2002:7F00:1:0:0:0:0:1', 'loopback'],
        ['2002:7f00:1::127.0.0.1', 'loopback'],
        ['2002:a00:1::1', 'private'],
        ['2002:c0a8:101::', 'private'],
        ['2002:a9fe:a9fe::1', 'linkLocal'],
        ['2002::1', 'unspecified'],
      ],
    ],
    [
      'Teredo 2001::/32 (server in bits 32-63, client inverted in 96-127)',
      [
        ['2001:0:7f00:1::', 'loopback'], // server 127.0.0.1
        ['2001:0000:7f00:0001:0:0:0:0', 'loopback'],
        ['2001:0:a00:1::1', 'private'], // server 10.0.0.1
        ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback'], // client ~0x80fffffe = 127.0.0.1
        ['2001:0:4136:e378:8000:63bf:f5ff:fffe', 'private'], // client 10.0.0.1
        ['2001:0:4136:e378:8000:63bf:5601:5601', 'linkLocal'], // client 169.254.169.254
        ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'teredo'], // public server and client 8.8.8.8: refused outright
      ],
    ],
    [
      'ISATAP interface id ::0:5efe:a.b.c.d / ::200:5efe:a.b.c.d',
      [
        ['2600::5efe:127.0.0.1', 'loopback'],
        ['2600::5efe:7f00:1', 'loopback'],
        ['2600:0:0:0:200:5efe:10.0.0.1', 'private'],
        ['2600::200:5EFE:a9fe:a9fe', 'linkLocal'],
        ['2002:808:808::5efe:10.0.0.1', 'private'], // a 6to4 site's ISATAP host
      ],
    ],
    [
      'outside the global unicast space 2000::/3',
      [
        ['::8.8.8.8', 'ipv4Compatible'], // as glibc prints an IPv4-compatible DNS answer; not ::ffff:8.8.8.8
        ['::808:808', 'ipv4Compatible'],
        ['::1:7f00:1', 'reserved'],
        ['0:0:0:ffff:0:0:7f00:1', 'reserved'],
        ['4000::1', 'reserved'],
        ['1::', 'reserved'],
      ],
    ],
  ])('%s', (_form, cases) => {
    it.each(cases)('refuses %s as %s', (address, reason) => {
      expect(classifyAddress(address)).toBe(reason);
    });
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '2606:4700:4700::1111',
    '[2606:4700:4700::1111]',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
    '::ffff:0:8.8.8.8',
    '64:ff9b::808:808',
    '64:ff9b::8.8.8.8',
    '2002:808:808::1',
    '2600::200:5efe:8.8.8.8',
  ])('allows the public address %s', (address) => {
    expect(classifyAddress(address)).toBeNull();
  });
});
