import { type ContainerIdentity } from './container-process';

/**
 * Who the replayed image's CMD and HEALTHCHECK run as, given the uid running the tests
 * (`process.getuid()`; undefined off POSIX): `dropTo` when that is root (CI), as setpriv can change
 * user only from root; otherwise undefined, meaning "as the current, already unprivileged user" —
 * a developer's `npm test` then still runs the image without root.
 */
export function containerUser(currentUid: number | undefined, dropTo: ContainerIdentity): ContainerIdentity | undefined {
  return currentUid === 0 ? dropTo : undefined;
}

/**
 * The program and arguments that run `argv` as `who`: `setpriv` (util-linux) dropping to `who`
 * with no supplementary groups, then exec'ing `argv` — the same process id, as a container's PID 1
 * is the image's command itself; `argv` itself when `who` is undefined (the current user).
 * @throws {RangeError} when `argv` is empty.
 */
export function launchAs(who: ContainerIdentity | undefined, argv: readonly string[]): [string, string[]] {
  const [file, ...args] = argv;
  if (file === undefined) throw new RangeError('an empty command');
  if (who === undefined) return [file, args];
  return ['setpriv', [`--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups', '--', file, ...args]];
}
