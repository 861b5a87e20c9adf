import type { z } from 'zod';
import type { draftToneSchema } from '@jobs/queue-contracts';

/** A reply draft's tone (`professional`, `friendly`, ...). */
export type DraftTone = z.infer<typeof draftToneSchema>;
