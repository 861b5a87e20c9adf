import type { z } from 'zod';
import { withoutEmptyValues } from '@jobs/common';
import { ConfigError, type ConfigProblem } from './config-error';
import { configProblemsFromZod } from './config-problems-from-zod';
import { loadWorkerConfig, type WorkerConfig, type WorkerDefaults } from './worker-config';

/** What {@link loadAppConfig} needs to know of one app. */
export interface AppConfigSpec<S extends z.ZodType, C extends { readonly worker: WorkerConfig }> {
  /** The app's name (`email-worker`), the first word of a `ConfigError`'s message. */
  readonly name: string;
  /** The app's defaults of the kit's settings (concurrency, limiter, health port, job timeout). */
  readonly defaults: WorkerDefaults;
  /** The app's own variables; parsed from the environment without empty values. */
  readonly envSchema: S;
  /** Builds the app's resolved configuration from its parsed variables and the kit's. */
  readonly resolve: (env: z.output<S>, worker: WorkerConfig) => C;
}

/**
 * Reads a worker app's configuration, once, at the edge: the kit's variables
 * (`loadWorkerConfig`) and the app's `envSchema` are parsed side by side, so one `ConfigError`
 * lists every missing or bad variable of both, prefixed with the app's name; then `resolve`
 * compiles the result, which is returned frozen. Empty variables count as unset.
 * @param env - defaults to `process.env`; tests pass a plain object.
 * @throws ConfigError (`source` = `spec.name`) with every problem in `problems`, never values.
 */
export function loadAppConfig<S extends z.ZodType, C extends { readonly worker: WorkerConfig }>(
  spec: AppConfigSpec<S, C>,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<C> {
  const present = withoutEmptyValues(env);
  const problems: ConfigProblem[] = [];
  let worker: WorkerConfig | undefined;
  try {
    worker = loadWorkerConfig(spec.defaults, env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const parsed = spec.envSchema.safeParse(present);
  if (!parsed.success) problems.push(...configProblemsFromZod(parsed.error, present));
  if (problems.length > 0 || !worker || !parsed.success) throw new ConfigError(problems, { source: spec.name });
  return Object.freeze(spec.resolve(parsed.data as z.output<S>, worker));
}
