/** Redis commands whose arguments carry a password: `AUTH [user] pass`, `HELLO 3 AUTH user pass`. */
const CREDENTIAL_COMMANDS = new Set(['auth', 'hello']);

/**
 * Returns `err` with the arguments of a failed `AUTH`/`HELLO` command blanked out. ioredis
 * attaches the failed command to its `ReplyError` (`err.command = { name, args }`), so a wrong or
 * rotated password would otherwise travel inside the error to whoever logs it. Mutates `err`
 * (it is ours to hand on as a `cause`) and returns it.
 */
export function withoutRedisCredentials<E>(err: E): E {
  if (typeof err !== 'object' || err === null || !('command' in err)) return err;
  const command = (err as { command?: unknown }).command;
  if (typeof command !== 'object' || command === null) return err;
  const { name, args } = command as { name?: unknown; args?: unknown };
  if (typeof name === 'string' && CREDENTIAL_COMMANDS.has(name.toLowerCase()) && Array.isArray(args)) {
    (command as { args: unknown[] }).args = args.map(() => '[redacted]');
  }
  return err;
}
