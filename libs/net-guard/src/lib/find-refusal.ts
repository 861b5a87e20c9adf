import { RefusedAddressError } from './refused-address-error';

/**
 * The {@link RefusedAddressError} behind a failed request, or null: undici wraps an error thrown
 * by the guard's lookup at connect time in its own (`fetch failed`, `cause` chain), so the chain
 * is followed up to five levels.
 */
export function findRefusal(err: unknown): RefusedAddressError | null {
  let current: unknown = err;
  for (let i = 0; i < 5 && current instanceof Error; i += 1) {
    if (current instanceof RefusedAddressError) return current;
    current = current.cause;
  }
  return null;
}
