/**
 * Polls `check` every `intervalMs` (default 50) until it returns a value other than
 * `undefined`/`false`, and returns it.
 * @throws Error naming `what` after `timeoutMs` (default 30 000: a ceiling that only catches hangs, as
 *   CI machines are shared and a test must pass with both cores busy).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 30_000, intervalMs = 50 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
