import type { LookupAddress, LookupOptions } from 'node:dns';
import { AddressGuard, type ResolveAllFn } from './address-guard';
import { RefusedAddressError } from './refused-address-error';

const fakeDns =
  (table: Record<string, string[]>): ResolveAllFn =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

function lookupWith(guard: AddressGuard, hostname: string, options: LookupOptions) {
  return new Promise<{ address: string | LookupAddress[]; family?: number }>((resolve, reject) => {
    guard.lookup(hostname, options, (err, address, family) => (err ? reject(err) : resolve({ address, family })));
  });
}

describe('AddressGuard', () => {
  const guard = new AddressGuard({
    allowPrivateNetworks: false,
    resolveAll: fakeDns({
      'public.test': ['93.184.216.34', '2606:2800:220:1::1'],
      'loopback.test': ['127.0.0.1'],
      'mixed.test': ['93.184.216.34', '10.0.0.7'],
      'metadata.test': ['169.254.169.254'],
      // AAAA answers as glibc's getaddrinfo prints IPv4-compatible addresses (dotted).
      'compat-loopback.test': ['::127.0.0.1'],
      'compat-public.test': ['::8.8.8.8'],
      'nat64-private.test': ['64:ff9b::10.0.0.7'],
    }),
  });

  it.each(['127.0.0.1', '169.254.169.254', '[::1]', '::1', '10.0.0.1', '0.0.0.0'])(
    'refuses the IP literal %s without resolving it',
    async (host) => {
      await expect(guard.assertHostAllowed(host)).rejects.toBeInstanceOf(RefusedAddressError);
    },
  );

  it('refuses a name that resolves to loopback, naming the host, address and reason', async () => {
    const err = await guard.assertHostAllowed('loopback.test').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RefusedAddressError);
    expect(err).toMatchObject({ hostname: 'loopback.test', address: '127.0.0.1', reason: 'loopback' });
    expect((err as Error).message).toMatch(/loopback\.test.*127\.0\.0\.1.*loopback/);
  });

  it('refuses a name when any of its addresses is private, and the metadata address', async () => {
    await expect(guard.assertHostAllowed('mixed.test')).rejects.toMatchObject({ address: '10.0.0.7', reason: 'private' });
    await expect(guard.assertHostAllowed('metadata.test')).rejects.toMatchObject({ reason: 'linkLocal' });
  });

  it.each(['[::127.0.0.1]', '::127.0.0.1', '[::7f00:1]', '[::ffff:127.0.0.1]', '[64:ff9b::7f00:1]', '[2002:7f00:1::]'])(
    'refuses the IPv6 literal %s that embeds a loopback IPv4 address',
    async (host) => {
      await expect(guard.assertHostAllowed(host)).rejects.toMatchObject({ reason: 'loopback' });
    },
  );

  it.each([
    ['compat-loopback.test', 'loopback'],
    ['compat-public.test', 'ipv4Compatible'],
    ['nat64-private.test', 'private'],
  ])('refuses %s, whose DNS answer embeds an IPv4 address, before and at connect time (%s)', async (host, reason) => {
    await expect(guard.assertHostAllowed(host)).rejects.toMatchObject({ hostname: host, reason });
    await expect(lookupWith(guard, host, { all: true })).rejects.toMatchObject({ reason });
  });

  it('allows a public name and passes DNS failures through unchanged', async () => {
    await expect(guard.assertHostAllowed('public.test')).resolves.toBeUndefined();
    await expect(guard.assertHostAllowed('nowhere.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('checks again at connect time, so a name rebinding to loopback after the check is refused', async () => {
    let calls = 0;
    const rebinding = new AddressGuard({
      allowPrivateNetworks: false,
      resolveAll: async () => [{ address: calls++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }],
    });
    await expect(rebinding.assertHostAllowed('rebind.test')).resolves.toBeUndefined();
    await expect(lookupWith(rebinding, 'rebind.test', { all: true })).rejects.toBeInstanceOf(RefusedAddressError);
  });

  it('answers connect-time lookups in the shape asked for', async () => {
    await expect(lookupWith(guard, 'public.test', { all: true })).resolves.toEqual({
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
      family: undefined,
    });
    await expect(lookupWith(guard, 'public.test', {})).resolves.toEqual({ address: '93.184.216.34', family: 4 });
  });

  it('allows everything when allowPrivateNetworks is on', async () => {
    const open = new AddressGuard({ allowPrivateNetworks: true, resolveAll: fakeDns({ 'loopback.test': ['127.0.0.1'] }) });
    await expect(open.assertHostAllowed('127.0.0.1')).resolves.toBeUndefined();
    await expect(lookupWith(open, 'loopback.test', {})).resolves.toEqual({ address: '127.0.0.1', family: 4 });
  });
});
