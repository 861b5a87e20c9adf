import { z } from 'zod';

/** A boolean environment variable: `true`/`1`/`yes` or `false`/`0`/`no` (lower case); anything else is refused. */
export const envBooleanSchema = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
