import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parsePasswordHash } from './lib/password-hash';

// The real `npm run dashboard:hash-password` command line (node + tsx), fed through a pipe.

const ROOT = join(__dirname, '..', '..', '..');
function hashPasswordCli(stdin: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'apps/dashboard/src/hash-password-cli.ts'], {
    cwd: ROOT,
    input: stdin,
    encoding: 'utf8',
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.base.json' },
    timeout: 60_000,
  });
}

describe('dashboard:hash-password', () => {
  it('refuses a password shorter than 12 characters with exit 2 and prints no hash', () => {
    const run = hashPasswordCli('short\n');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('at least 12 characters');
    expect(run.stdout).toBe('');
    expect(hashPasswordCli('elevenchars\n').status).toBe(2);
  }, 60_000);

  it('hashes a password of 12 characters into a string the config reads', () => {
    const run = hashPasswordCli('twelve-chars\n');
    expect(run.status).toBe(0);
    expect(parsePasswordHash(run.stdout.trim())).toBeDefined();
  }, 60_000);
});
