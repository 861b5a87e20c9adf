import type { z } from 'zod';
import { formatZodError } from '@jobs/common';
import { jsonText } from '../state/json-text';
import { UnreadableSyncTokenError } from './unreadable-sync-token-error';

/**
 * Parses a saved sync token (JSON text a provider issued as a cursor or checkpoint) with the
 * provider's schema of it.
 * @throws UnreadableSyncTokenError when it is not JSON or does not match, listing the fields.
 */
export function parseSyncToken<S extends z.ZodType>(schema: S, text: string, which: 'cursor' | 'checkpoint'): z.output<S> {
  const parsed = jsonText(schema).safeParse(text);
  if (!parsed.success) throw new UnreadableSyncTokenError(which, formatZodError(parsed.error, '(token)'));
  return parsed.data;
}
