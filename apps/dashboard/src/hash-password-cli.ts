// `npm run dashboard:hash-password`: reads a password from stdin and prints the string to put in
// DASHBOARD_ADMIN_PASSWORD_HASH / DASHBOARD_VIEWER_PASSWORD_HASH. From a terminal the password is
// asked for twice without echo; piped in (`printf %s "$PW" | npm run …`) the first line is read.
// The password never goes on the command line (shell history, `ps`). Shorter than
// MIN_PASSWORD_LENGTH characters: refused with exit 2 (a usage error), nothing printed on stdout.
import { hashPassword } from './lib/password-hash';
import { readPassword } from './lib/read-password';

/** Shortest password hashed: 12 characters (OWASP ASVS 2.1.1), counted as Unicode code points. */
const MIN_PASSWORD_LENGTH = 12;

async function main(): Promise<number> {
  const tty = process.stdin.isTTY === true;
  const password = await readPassword(process.stdin, tty ? process.stderr : undefined, 'Password: ');
  if (password === '') {
    process.stderr.write('no password given\n');
    return 1;
  }
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    process.stderr.write(`password too short: use at least ${MIN_PASSWORD_LENGTH} characters\n`);
    return 2;
  }
  if (tty && (await readPassword(process.stdin, process.stderr, 'Again: ')) !== password) {
    process.stderr.write('the two passwords differ\n');
    return 1;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
