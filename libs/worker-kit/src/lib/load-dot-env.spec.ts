import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// A real process: jest gives each test file its own copy of process.env, which Node's
// loadEnvFile does not write to.
function runInDir(cwd: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const script = `const { loadDotEnv } = require(${JSON.stringify(join(__dirname, 'load-dot-env.ts'))});
const loaded = loadDotEnv();
process.stdout.write(JSON.stringify({ loaded: loaded ?? null, fromFile: process.env.DOT_ENV_NEW ?? null, set: process.env.DOT_ENV_SET ?? null }));`;
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, '-e', script], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('loadDotEnv', () => {
  const dir = mkdtempSync(join(tmpdir(), 'load-dot-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .env of the current directory; a variable already set wins over the file', () => {
    const cwd = join(dir, 'with-file');
    mkdirSync(cwd);
    writeFileSync(join(cwd, '.env'), '# comment\nDOT_ENV_NEW=from-file\nDOT_ENV_SET=from-file\n');
    const run = runInDir(cwd, { DOT_ENV_SET: 'from-shell' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ loaded: join(cwd, '.env'), fromFile: 'from-file', set: 'from-shell' });
  });

  it('takes a missing .env as nothing to load', () => {
    const cwd = join(dir, 'without-file');
    mkdirSync(cwd);
    const run = runInDir(cwd, {});
    expect(JSON.parse(run.stdout)).toEqual({ loaded: null, fromFile: null, set: null });
  });

  it('reports a .env it cannot read instead of ignoring it', () => {
    const cwd = join(dir, 'env-is-a-folder');
    mkdirSync(join(cwd, '.env'), { recursive: true });
    const run = runInDir(cwd, {});
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(join(cwd, '.env'));
  });
});
