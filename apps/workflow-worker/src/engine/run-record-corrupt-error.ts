/**
 * The run record read back from Redis is not JSON or does not match `workflowRunRecordSchema`
 * (someone else wrote the key, or a version this worker does not know). The run cannot go on
 * safely: the job fails without retry, naming the problem.
 */
export class RunRecordCorruptError extends Error {
  override readonly name = 'RunRecordCorruptError';
  constructor(
    readonly runId: string,
    problem: string,
  ) {
    super(`run ${runId}: stored run record is unreadable: ${problem}`);
  }
}
