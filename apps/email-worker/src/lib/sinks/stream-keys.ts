import { emailProviderSchema, type EmailProvider } from '@jobs/queue-contracts';
import { sameSlotKeyPrefix } from '../state/same-slot-key-prefix';

/** The Redis Stream of one mailbox kind: `<streamKeyPrefix>:<provider>`, e.g. `email:messages:gmail`. */
export function streamKey(streamKeyPrefix: string, provider: EmailProvider): string {
  return `${streamKeyPrefix}:${provider}`;
}

/**
 * Where the Redis Stream sink keeps its per-event markers (the keys that drop repeats), per
 * provider stream. The append script reads and writes a page's markers together with the
 * stream, so on a cluster they must hash to the stream's slot, not to the app's:
 * - standalone Redis: `<keyPrefix>:appended:` for both streams, where they always were;
 * - Redis Cluster: `<sameSlotKeyPrefix(stream)>:<namespace>:appended:`, e.g.
 *   `{email:messages:gmail}:email-worker:appended:` (one prefix per stream, in its slot).
 * @param options - `cluster`: whether `REDIS_CLUSTER_NODES` is set; `keyPrefix`: the app's key
 *   prefix (`appKeyPrefix`); `namespace`: the app's key namespace (`email-worker`);
 *   `streamKeyPrefix`: `EMAIL_STREAM_KEY_PREFIX`.
 * @returns the marker prefix of each provider's stream, or null in cluster mode when a stream
 *   key holds a `}` without forming a hash tag (no key can share its slot; see sameSlotKeyPrefix).
 */
export function streamMarkerKeyPrefixes(options: {
  readonly cluster: boolean;
  readonly keyPrefix: string;
  readonly namespace: string;
  readonly streamKeyPrefix: string;
}): Readonly<Record<EmailProvider, string>> | null {
  const prefixes = {} as Record<EmailProvider, string>;
  for (const provider of emailProviderSchema.options) {
    if (!options.cluster) {
      prefixes[provider] = `${options.keyPrefix}:appended:`;
      continue;
    }
    const slotPrefix = sameSlotKeyPrefix(streamKey(options.streamKeyPrefix, provider));
    if (slotPrefix === null) return null;
    prefixes[provider] = `${slotPrefix}:${options.namespace}:appended:`;
  }
  return Object.freeze(prefixes);
}
