import { isIPv4, isIPv6 } from 'node:net';

/**
 * The unit a login budget is kept per: an IPv4 address as is (an IPv4-mapped IPv6 address as its
 * IPv4), an IPv6 address as its /64 network (`2001:db8:0:1::/64`), since one subscriber gets a
 * whole /64 and could otherwise take a fresh budget per address. Anything else as sent.
 */
export function clientAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1] as string;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head = '', tail = ''] = (ip.toLowerCase().split('%')[0] ?? '').split('::');
  const left = head === '' ? [] : head.split(':');
  const right = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
