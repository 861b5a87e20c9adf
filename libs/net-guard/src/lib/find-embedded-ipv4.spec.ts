import ipaddr from 'ipaddr.js';
import { findEmbeddedIpv4 } from './find-embedded-ipv4';

const embedded = (address: string) =>
  findEmbeddedIpv4(ipaddr.IPv6.parse(address)).map(({ form, addresses }) => [form, addresses.map(String)]);

describe('findEmbeddedIpv4', () => {
  it.each([
    ['::7f00:1', [['ipv4Compatible', ['127.0.0.1']]]],
    ['::ffff:a00:1', [['ipv4Mapped', ['10.0.0.1']]]],
    ['::ffff:0:c0a8:101', [['ipv4Translated', ['192.168.1.1']]]],
    ['64:ff9b::a9fe:a9fe', [['nat64', ['169.254.169.254']]]],
    ['2002:c000:204::1', [['6to4', ['192.0.2.4']]]],
    // RFC 4380 §4's example: server 65.54.227.120, client 192.0.2.45 (stored inverted).
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', [['teredo', ['65.54.227.120', '192.0.2.45']]]],
    ['2600::200:5efe:808:808', [['isatap', ['8.8.8.8']]]],
    ['2002:808:808::5efe:a00:1', [['6to4', ['8.8.8.8']], ['isatap', ['10.0.0.1']]]],
  ])('finds the IPv4 address in %s', (address, expected) => {
    expect(embedded(address)).toEqual(expected);
  });

  it.each(['::', '::1', '2606:4700:4700::1111', 'fe80::1', '64:ff9b:1::7f00:1'])('finds none in %s', (address) => {
    expect(embedded(address)).toEqual([]);
  });
});
