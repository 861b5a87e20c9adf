import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const APPS = readdirSync(join(ROOT, 'apps')).filter((name) => name.endsWith('-worker'));

/** Bare package names a bundle `require()`s: `@scope/name` or `name`, builtins left out. */
function packagesRequiredBy(bundle: string): string[] {
  const names = new Set<string>();
  for (const [, path] of bundle.matchAll(/\brequire\("([^"./][^"]*)"\)/g)) {
    const parts = (path as string).split('/');
    const name = path?.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
    if (!path?.startsWith('node:') && !builtinModules.includes(name)) names.add(name);
  }
  return [...names].sort();
}

// A built app's manifest lists exactly what its bundle imports: no other worker's SDK (the
// libs' spec files reach every fake server through @jobs/test-support), nothing missing.
describe('built apps', () => {
  beforeAll(() => {
    const build = spawnSync(join(ROOT, 'node_modules/.bin/nx'), ['run-many', '-t', 'build', '-p', APPS.join(','), '--outputStyle=static'], {
      cwd: ROOT,
      env: { ...process.env, NX_DAEMON: 'false' },
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`the build failed:\n${build.stdout}\n${build.stderr}`);
  }, 600_000);

  it.each(APPS)('%s: package.json dependencies are the packages its bundle requires', (app) => {
    const dist = join(ROOT, 'dist/apps', app);
    const bundle = readFileSync(join(dist, 'main.js'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(dist, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    const required = packagesRequiredBy(bundle);
    expect(required).toContain('bullmq');
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(required);
    // Every npm package stays external (none inlined), so the list above is complete.
    expect(bundle).not.toMatch(/^\/\/ node_modules\//m);
    const lock = JSON.parse(readFileSync(join(dist, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
    for (const name of required) expect(lock.packages).toHaveProperty([`node_modules/${name}`]);
  });
});
