/**
 * A bad Redis setting in the environment: `problems` lists each variable with what is wrong
 * (never its value); the message is `Invalid Redis configuration: VAR: what; …`.
 */
export class RedisConfigError extends Error {
  override readonly name = 'RedisConfigError';
  readonly problems: ReadonlyArray<Readonly<{ variable: string; message: string }>>;

  /** @param options - `cause`: the zod error, when the problems come from one. */
  constructor(problems: ReadonlyArray<Readonly<{ variable: string; message: string }>>, options?: { cause?: unknown }) {
    super(`Invalid Redis configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`, options);
    this.problems = Object.freeze([...problems]);
  }
}
