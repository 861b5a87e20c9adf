import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { REPO_ROOT } from './spawn-worker-process';

/** `../shared/fixtures` beside the repository (see its README for where the data comes from). */
export const FIXTURES_ROOT = resolve(REPO_ROOT, '..', 'shared', 'fixtures');

/** One real-world RFC 822 message from `../shared/fixtures/emails`. */
export interface FixtureEmail {
  /** Path under `emails/`, e.g. `plain_emails/basic_email.eml`; stable, sorted. */
  readonly name: string;
  /** The file's bytes, untouched. */
  readonly raw: Buffer;
}

/**
 * Every `.eml` under `../shared/fixtures/emails`, sorted by name.
 *
 * @throws Error naming the expected folder when the fixtures are missing.
 */
export function loadFixtureEmails(): FixtureEmail[] {
  const root = join(FIXTURES_ROOT, 'emails');
  if (!existsSync(root)) {
    throw new Error(`The email fixtures are missing: expected ${root} (../shared/fixtures beside the repo).`);
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.eml')) files.push(path);
    }
  };
  walk(root);
  return files
    .map((path) => ({ name: relative(root, path), raw: readFileSync(path) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
