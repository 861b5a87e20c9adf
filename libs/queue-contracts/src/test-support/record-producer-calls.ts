import type { AddedJob } from '../lib/added-job';
import { JobProducer } from '../lib/job-producer';
import type { JobName } from '../lib/job-names';

/** One `JobProducer.add` call seen by {@link recordProducerCalls}, with the job it returned. */
export interface RecordedProducerCall {
  readonly name: JobName;
  readonly data: unknown;
  readonly opts: Record<string, unknown> | undefined;
  job?: AddedJob<JobName>;
}

/**
 * Records every `JobProducer.add` call (the module-level producers go through it) while letting
 * it run. Call `restore()` when done.
 */
export function recordProducerCalls(): { calls: RecordedProducerCall[]; restore: () => void } {
  const calls: RecordedProducerCall[] = [];
  const realAdd = JobProducer.prototype.add;
  const spy = jest.spyOn(JobProducer.prototype, 'add').mockImplementation(async function (this: JobProducer, name, data, opts) {
    const call: RecordedProducerCall = { name, data, opts: opts as Record<string, unknown> | undefined };
    calls.push(call);
    const job = await realAdd.call(this, name, data, opts);
    call.job = job;
    return job;
  });
  return { calls, restore: () => spy.mockRestore() };
}
