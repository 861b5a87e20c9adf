import type { z } from 'zod';
import { formatZodError } from '@jobs/common';
import { StateRecordCorruptError } from './state-record-corrupt-error';

/** Where a record came from and how to recover from it, for {@link parseStoredRecord}. */
export interface StoredRecordSource {
  /** The Redis key read. */
  readonly key: string;
  /** The `version` field this worker writes and reads (a decimal string in the hash). */
  readonly version: number;
  /** What to do when the record is unreadable; ends the error message. */
  readonly remedy: string;
}

/**
 * Parses a Redis hash this worker wrote (HGETALL's answer) with its versioned schema. The hash's
 * `version` field must be `source.version`; a hash without one was written before records were
 * versioned, in the same layout as version 1, and is read as version 1.
 * @returns the schema's output.
 * @throws StateRecordCorruptError naming the key, every field that does not match (`field:
 *   message`; `version` when it is one this worker does not read) and `source.remedy`.
 */
export function parseStoredRecord<S extends z.ZodType>(schema: S, hash: Readonly<Record<string, string>>, source: StoredRecordSource): z.output<S> {
  const version = hash['version'];
  if (version !== undefined && version !== String(source.version)) {
    throw new StateRecordCorruptError(source.key, `version ${version}; this worker reads version ${source.version}`, source.remedy);
  }
  if (version === undefined && source.version !== 1) {
    throw new StateRecordCorruptError(source.key, `no version; this worker reads version ${source.version}`, source.remedy);
  }
  const parsed = schema.safeParse(hash);
  if (!parsed.success) {
    throw new StateRecordCorruptError(source.key, formatZodError(parsed.error, '(record)'), source.remedy, { cause: parsed.error });
  }
  return parsed.data;
}
