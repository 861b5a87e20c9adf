/**
 * A URL's host resolves to an address the caller must not reach (loopback, private, link-local
 * such as the cloud metadata service 169.254.169.254, unique-local, CGNAT, unspecified, an IPv6
 * address embedding one of those such as `::127.0.0.1` ...; see `classifyAddress`), and
 * `allowPrivateNetworks` is off. Thrown by the address guard before connecting.
 *
 * Permanent: retrying will not help while the host resolves there, so a handler should fail the
 * job (or step) at once (e.g. rethrow as the worker kit's `PermanentJobError`, keeping this as
 * `cause`).
 */
export class RefusedAddressError extends Error {
  override readonly name = 'RefusedAddressError';

  /**
   * @param hostname - the host name (or IP literal) of the refused URL.
   * @param address - the resolved IP address that was refused.
   * @param reason - why: the address range's name, e.g. `loopback`, `private`, `linkLocal`.
   * @param allowSetting - the setting that turns the guard off, named in the message so an
   *   operator knows what to change, e.g. `SEO_ALLOW_PRIVATE_NETWORKS`. Default
   *   `allowPrivateNetworks` (the option's name).
   */
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly reason: string,
    readonly allowSetting = 'allowPrivateNetworks',
  ) {
    super(
      `Refused to connect to ${hostname}: it resolves to ${address}, in the ${reason} range. ` +
        'Non-public networks are blocked to prevent server-side request forgery; ' +
        `set ${allowSetting}=true to reach them.`,
    );
  }
}
