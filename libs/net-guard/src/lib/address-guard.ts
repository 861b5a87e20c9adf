import { promises as dnsPromises, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './classify-address';
import { RefusedAddressError } from './refused-address-error';

/** Resolves a host name to all its addresses, like `dns.promises.lookup(host, { all: true })`. */
export type ResolveAllFn = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

/** Options of {@link AddressGuard}. */
export interface AddressGuardOptions {
  /** When true the guard allows every address (loopback, private, link-local ...). */
  readonly allowPrivateNetworks: boolean;
  /** Name resolution; defaults to `dns.promises.lookup` with `all: true`. Tests inject one. */
  readonly resolveAll?: ResolveAllFn;
  /**
   * Refusal reason of an address or `null` to allow; defaults to {@link classifyAddress}.
   * A seam for tests that must treat one loopback address as "public".
   */
  readonly classify?: (address: string) => string | null;
  /**
   * The setting that sets `allowPrivateNetworks`, named in every {@link RefusedAddressError}
   * message (e.g. `SEO_ALLOW_PRIVATE_NETWORKS`). Default `allowPrivateNetworks`.
   */
  readonly allowSetting?: string;
}

const defaultResolveAll: ResolveAllFn = (hostname, family) =>
  dnsPromises.lookup(hostname, { all: true, family, verbatim: true });

/**
 * Keeps outgoing requests off non-public networks (SSRF guard), in two places:
 *
 * - {@link AddressGuard.assertHostAllowed} before each request and each redirect hop: an IP
 *   literal is checked as is, a name is resolved (all addresses) and refused if any address is
 *   non-public. Gives an early, clear {@link RefusedAddressError}.
 * - {@link AddressGuard.lookup}, given to the HTTP agent as its `connect.lookup`: the socket
 *   connects only to an address this function has just checked. That closes the DNS-rebinding
 *   gap between the check above and the connection (a name that answered a public address to
 *   the check and a private one to the connect is still refused).
 *
 * Pre-checks are cached per host name for the guard's life (e.g. one audit); the connect-time check
 * is never cached. With `allowPrivateNetworks` both checks allow everything.
 */
export class AddressGuard {
  private readonly resolveAll: ResolveAllFn;
  private readonly classify: (address: string) => string | null;
  private readonly checked = new Map<string, Promise<void>>();

  constructor(private readonly options: AddressGuardOptions) {
    this.resolveAll = options.resolveAll ?? defaultResolveAll;
    this.classify = options.classify ?? classifyAddress;
  }

  /**
   * Resolves when every address of `hostname` may be reached.
   * @param hostname - a URL's `hostname` (IPv6 literals may keep their brackets).
   * @throws RefusedAddressError when an address is non-public; DNS errors (`ENOTFOUND` ...) as is.
   */
  assertHostAllowed(hostname: string): Promise<void> {
    if (this.options.allowPrivateNetworks) return Promise.resolve();
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    let pending = this.checked.get(host);
    if (!pending) {
      pending = this.checkHost(host);
      // A failed DNS lookup may succeed later; only refusals and successes are worth keeping.
      pending.catch((err: unknown) => {
        if (!(err instanceof RefusedAddressError)) this.checked.delete(host);
      });
      this.checked.set(host, pending);
    }
    return pending;
  }

  /**
   * A `net.LookupFunction` for the agent's `connect.lookup`: resolves like `dns.lookup`, then
   * fails with {@link RefusedAddressError} if any resolved address is non-public. Answers in the
   * shape asked for (`all: true` gives an array, as Node's happy-eyeballs connect asks).
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    this.resolveAll(hostname, family).then(
      (addresses) => {
        const refusal = this.findRefusal(hostname, addresses);
        if (refusal) {
          callback(refusal, '', 0);
          return;
        }
        if (addresses.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '', 0);
          return;
        }
        if (options.all) {
          // The `all` overload of the callback takes the array; LookupFunction types only the other.
          (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };

  private async checkHost(host: string): Promise<void> {
    const addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await this.resolveAll(host, 0);
    const refusal = this.findRefusal(host, addresses);
    if (refusal) throw refusal;
  }

  private findRefusal(
    hostname: string,
    addresses: readonly LookupAddress[],
  ): RefusedAddressError | null {
    if (this.options.allowPrivateNetworks) return null;
    for (const { address } of addresses) {
      const reason = this.classify(address);
      if (reason !== null) return new RefusedAddressError(hostname, address, reason, this.options.allowSetting);
    }
    return null;
  }
}
