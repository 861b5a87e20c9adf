import { Command } from 'commander';
import { InvalidJobOptionsError, JOB_CONTRACTS, JobValidationError, type JobDataInput, type JobName, type ProducerJobOptions } from '@jobs/queue-contracts';
import type { CliContext } from '../lib/cli-context';
import { CliError } from '../lib/cli-error';
import { EXIT_CODES } from '../lib/exit-codes';
import { ENQUEUABLE_JOB_NAMES, parseJobName } from '../lib/parse-job-name';
import { parseIntegerOption } from '../lib/parse-integer-option';
import { readJsonInput } from '../lib/read-json-input';
import { writeJson } from '../lib/write-json';

interface EnqueueOptions {
  data: string;
  delay?: number;
  priority?: number;
  attempts?: number;
  jobId?: string;
  json?: boolean;
}

/**
 * `jobs-cli enqueue <JOB_NAME> --data <file.json|-> [--delay ms] [--priority n] [--attempts n]
 * [--job-id id] [--json]`: adds one job through the contracts' `JobProducer`, which validates the
 * data against the job's schema before anything reaches Redis. Refused data is exit 2 with the
 * producer's message naming each bad field, and nothing is enqueued. Prints the job id and queue,
 * and says when a job with that `--job-id` already existed (then nothing new was added).
 */
export function enqueueCommand(ctx: CliContext): Command {
  return new Command('enqueue')
    .description(`add a job, validated by its contract (${ENQUEUABLE_JOB_NAMES.join(', ')})`)
    .argument('<JOB_NAME>', 'job name', parseJobName)
    .requiredOption('--data <file>', 'job data: a JSON file, or - for standard input')
    .option('--delay <ms>', 'run no earlier than this many ms from now', parseIntegerOption('--delay', 0))
    .option('--priority <n>', 'priority, 1 (highest) to 2097152', parseIntegerOption('--priority', 1, 2_097_152))
    .option('--attempts <n>', 'attempts allowed (default 3)', parseIntegerOption('--attempts', 1, 100))
    .option('--job-id <id>', 'custom job id (not a whole number, no ":"); a taken id adds nothing')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExamples:\n  $ jobs-cli enqueue EMAIL_SYNC --data sync.json\n  $ echo \'{"userId":"u_1","websiteUrl":"https://example.com","depth":1}\' | jobs-cli enqueue SEO_AUDIT --data - --delay 60000')
    .action(async (name: JobName, opts: EnqueueOptions) => {
      const data = await readJsonInput('--data', opts.data, ctx.stdin);
      const jobOptions: ProducerJobOptions = {};
      if (opts.delay !== undefined) jobOptions.delay = opts.delay;
      if (opts.priority !== undefined) jobOptions.priority = opts.priority;
      if (opts.attempts !== undefined) jobOptions.attempts = opts.attempts;
      if (opts.jobId !== undefined) jobOptions.jobId = opts.jobId;
      let added;
      try {
        added = await ctx.producer().add(name, data as JobDataInput<JobName>, Object.keys(jobOptions).length > 0 ? jobOptions : undefined);
      } catch (err) {
        if (err instanceof JobValidationError || err instanceof InvalidJobOptionsError) {
          throw new CliError(EXIT_CODES.usage, `${err.message}; nothing enqueued`, { cause: err });
        }
        throw err;
      }
      const queue = JOB_CONTRACTS[name].queue;
      const id = String(added.id);
      if (opts.json) writeJson(ctx.stdout, { id, name, queue, alreadyExisted: added.alreadyExisted });
      else if (added.alreadyExisted) ctx.stdout.write(`job ${id} already existed in queue ${queue}: nothing added (alreadyExisted)\n`);
      else ctx.stdout.write(`enqueued ${name} job ${id} in queue ${queue}\n`);
    });
}
