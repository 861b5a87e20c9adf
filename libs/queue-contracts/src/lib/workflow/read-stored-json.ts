import { formatZodError } from '@jobs/common';
import { z } from 'zod';
import { WorkflowDefinitionError } from './workflow-definition-error';
import { UnreadableWorkflowRecordError } from './unreadable-workflow-record-error';

/**
 * Parses `text`, read from Redis at `where`, as JSON and then with `parse` (a schema's parse or
 * `validateWorkflowDefinition`).
 * @throws UnreadableWorkflowRecordError naming `where` and what is wrong (`cause`: the error).
 */
export function readStoredJson<T>(where: string, text: string, parse: (value: unknown) => T): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UnreadableWorkflowRecordError(where, `not JSON (${(err as Error).message})`, { cause: err });
  }
  try {
    return parse(value);
  } catch (err) {
    const reason = err instanceof z.ZodError ? formatZodError(err) : err instanceof WorkflowDefinitionError ? err.message : String(err);
    throw new UnreadableWorkflowRecordError(where, reason, { cause: err });
  }
}
