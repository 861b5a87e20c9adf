// esbuild options shared by every worker app's build (project.json `esbuildConfig`).
//
// The app's package.json is written from what its bundle really requires: Nx's
// `generatePackageJson` lists every npm package reachable in the project graph, and spec files
// of the libs import @jobs/test-support, whose fake servers use every other worker's SDK — so
// the SEO worker's manifest listed 17 packages (232 installed, 154 MB). Here the bundle's
// external imports (esbuild's metafile; the build keeps every npm package external) become the
// dependencies, pinned to the root package.json's versions, and Nx prunes the root lockfile to
// them. Its `start` script starts the worker with the flags the image uses.
const { builtinModules } = require('node:module');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

// Node flags every built worker starts with: the `start` script of each app's generated
// package.json (`npm start` in dist/apps/<app>) and docker/Dockerfile's CMD, which repeats them
// (tools/build/worker-node-flags.spec.ts checks the two agree). Kept in this file, which each
// app's build lists as an input, so changing them rebuilds.
//
// --max-semi-space-size=2 (MB; Node 20's default cap is 16): V8 grows the young generation
// while the process starts (module loading allocates tens of MB) and an idle worker never
// collects garbage again to shrink it, so two 16 MB semi-spaces stay resident for good. Capped
// at 2 MB, the built SEO worker idles at ~71 MB instead of ~85 MB (VmRSS 5 s after "worker
// started", 3 runs each, alternated), and a kit worker's peak RSS over 20 000 no-op jobs at
// concurrency 50 is ~135 MB instead of ~160 MB. The price is more frequent minor GCs: that
// worker used 177 µs of CPU per job instead of 168 (semi-space 4 MB: 174; medians of 3 runs
// each, alternated, on a busy 2-core machine), jobs/s within the noise. Raise or drop it for
// an allocation-heavy worker where throughput matters more than idle memory.
const WORKER_NODE_FLAGS = ['--max-semi-space-size=2'];

const ROOT = join(__dirname, '../..');

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
function packageNameOf(path) {
  const parts = path.split('/');
  return path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isBuiltin = (path) => path.startsWith('node:') || builtinModules.includes(packageNameOf(path));

/** @type {import('esbuild').Plugin} */
const appPackageJson = {
  name: 'app-package-json',
  setup(build) {
    build.initialOptions.metafile = true;
    build.onEnd(async (result) => {
      if (result.errors.length > 0 || !result.metafile) return;
      const outfile = build.initialOptions.outfile ?? join(build.initialOptions.outdir, 'main.js');
      const outDir = dirname(join(build.initialOptions.absWorkingDir ?? ROOT, outfile));
      const app = basename(outDir);
      const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
      const imported = new Set();
      for (const output of Object.values(result.metafile.outputs)) {
        for (const imp of output.imports) if (imp.external && !isBuiltin(imp.path)) imported.add(packageNameOf(imp.path));
      }
      const dependencies = {};
      for (const name of [...imported].sort()) {
        const version = root.dependencies?.[name];
        if (!version) throw new Error(`${app}'s bundle requires ${name}, which is not in the root package.json's dependencies`);
        dependencies[name] = version;
      }
      // `npm start` runs the worker the way the image does.
      const scripts = { start: ['node', ...WORKER_NODE_FLAGS, 'main.js'].join(' ') };
      const packageJson = { name: app, version: '0.0.1', private: true, main: './main.js', type: 'commonjs', engines: root.engines, scripts, dependencies };
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
      // The root lockfile pruned to these dependencies, so the image installs the tested versions.
      const { readCachedProjectGraph } = require('@nx/devkit');
      const { createLockFile } = require('@nx/js');
      const lockfile = createLockFile(packageJson, readCachedProjectGraph(), 'npm');
      // When Nx cannot prune (e.g. a package pinned nested under another at a second version), it
      // logs an error and returns the whole root lockfile: the image would install every
      // package of the workspace. Fail the build instead; align the versions in package.json.
      if (JSON.parse(lockfile).name !== packageJson.name) {
        throw new Error(`${app}: Nx could not prune the root package-lock.json to the app's dependencies (see its error above)`);
      }
      writeFileSync(join(outDir, 'package-lock.json'), lockfile);
    });
  },
};

module.exports = {
  outExtension: { '.js': '.js' },
  plugins: [appPackageJson],
};
