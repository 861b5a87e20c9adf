import { CONTRACT_LIMITS, boundedJsonObject, jsonByteLength, jsonProblem, type JsonObject, type JsonValue } from '@jobs/queue-contracts';

/** Default bound on a run record's JSON (UTF-8 bytes): 4 MiB (`WORKFLOW_MAX_RUN_RECORD_BYTES`). */
export const DEFAULT_MAX_RUN_RECORD_BYTES = 4 * 1024 * 1024;

/** A step's output is bounded like a run's context: 64 KiB of JSON. */
export const MAX_STEP_OUTPUT_BYTES = CONTRACT_LIMITS.MAX_CONTEXT_BYTES;

/**
 * A job step's output is its child job's result, already bounded by that job's contract: up to
 * 1 MiB of it is kept (an enrichment of a few thousand leads), the record's own bound still applies.
 */
export const MAX_JOB_STEP_OUTPUT_BYTES = 1024 * 1024;

const contextSchema = boundedJsonObject(CONTRACT_LIMITS.MAX_CONTEXT_BYTES);

/** What {@link stepOutcomeProblem} measures a completed step against. */
export interface StepOutcome {
  readonly stepId: string;
  /** True for an `end` step: its output is kept twice (its entry and the run's output). */
  readonly isEnd: boolean;
  /** True for a job step (its output is a child job's result): {@link MAX_JOB_STEP_OUTPUT_BYTES}. */
  readonly isJobStep?: boolean;
  readonly output: JsonValue | undefined;
  /** The run's new context, when the step changed it. */
  readonly context: JsonObject | undefined;
  /** The run's context before the step. */
  readonly previousContext: JsonObject;
  /** UTF-8 bytes of the record as last journaled (or read). */
  readonly recordBytes: number;
  /** Bound on the whole record's JSON, bytes. */
  readonly maxRecordBytes: number;
}

/**
 * Why a completed step's outcome may not be journaled, or undefined when it may: the new
 * context must pass the contract's context check (plain JSON, nested at most
 * `CONTRACT_LIMITS.MAX_JSON_DEPTH` (32) levels, at most `MAX_CONTEXT_BYTES` (64 KiB)); the
 * output must be plain JSON nested at most 32 levels and at most {@link MAX_STEP_OUTPUT_BYTES}
 * ({@link MAX_JOB_STEP_OUTPUT_BYTES} for a job step);
 * and the record with the outcome added must stay within `maxRecordBytes` (an estimate: the
 * record as last journaled, plus the output (twice for `end`), plus the context's growth, plus
 * 256 bytes for the entry's own fields). Each message names the step and the bound.
 *
 * Why: a 10 MB `set` or `end` would be held twice in the record, and a worker would read it back
 * on every resume; a context nested deeper than the record schema allows makes the record
 * unreadable (`RunRecordCorruptError`) on the next resume.
 */
export function stepOutcomeProblem(o: StepOutcome): string | undefined {
  let grows = 256;
  if (o.context !== undefined) {
    const parsed = contextSchema.safeParse(o.context);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      return `step "${o.stepId}" would leave the run's context unusable: it ${why} (CONTRACT_LIMITS.MAX_CONTEXT_BYTES, MAX_JSON_DEPTH)`;
    }
    grows += Math.max(0, jsonByteLength(o.context) - jsonByteLength(o.previousContext));
  }
  if (o.output !== undefined) {
    const problem = jsonProblem(o.output, CONTRACT_LIMITS.MAX_JSON_DEPTH);
    if (problem) return `step "${o.stepId}" output must be plain JSON nested at most ${CONTRACT_LIMITS.MAX_JSON_DEPTH} levels: ${problem}`;
    const bytes = jsonByteLength(o.output);
    const limit = o.isJobStep ? MAX_JOB_STEP_OUTPUT_BYTES : MAX_STEP_OUTPUT_BYTES;
    if (bytes > limit) return `step "${o.stepId}" output is ${bytes} bytes as JSON; at most ${limit} (${o.isJobStep ? "a job step's" : "a step's"} output limit)`;
    grows += o.isEnd ? 2 * bytes : bytes;
  }
  const projected = o.recordBytes + grows;
  if (projected > o.maxRecordBytes) {
    return `step "${o.stepId}" would grow the run's record to about ${projected} bytes as JSON; at most ${o.maxRecordBytes} (WORKFLOW_MAX_RUN_RECORD_BYTES)`;
  }
  return undefined;
}
