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

/**
 * An npm lockfile (v2/v3 `packages` map) cut down to what `packageJson.dependencies` need: from
 * each dependency, its dependencies, optional ones and non-optional peers, each found as npm
 * finds it (the `node_modules` of the requiring package, then of each one above it, then the
 * root's), entries copied as the root lockfile has them.
 * @throws Error naming a dependency the root lockfile does not hold.
 */
function pruneNpmLockfile(rootLock, packageJson) {
  const all = rootLock.packages ?? {};
  const locate = (from, name) => {
    for (let dir = from; ; ) {
      const path = `${dir ? `${dir}/` : ''}node_modules/${name}`;
      if (all[path]) return path;
      if (!dir) return undefined;
      const parent = dir.lastIndexOf('/node_modules/');
      dir = parent === -1 ? '' : dir.slice(0, parent);
    }
  };
  const kept = {};
  const visit = (path) => {
    if (kept[path]) return;
    const entry = all[path];
    kept[path] = entry;
    const optionalPeers = entry.peerDependenciesMeta ?? {};
    const needs = [
      ...Object.keys(entry.dependencies ?? {}).map((name) => [name, true]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name) => [name, false]),
      // An optional peer is installed only when something else needs it.
      ...Object.keys(entry.peerDependencies ?? {})
        .filter((name) => !optionalPeers[name]?.optional)
        .map((name) => [name, true]),
    ];
    for (const [name, required] of needs) {
      const found = locate(path, name);
      if (found) visit(found);
      else if (required) throw new Error(`${path} requires ${name}, which the root package-lock.json does not hold`);
    }
  };
  for (const name of Object.keys(packageJson.dependencies)) {
    const found = locate('', name);
    if (!found) throw new Error(`${name} is not in the root package-lock.json`);
    visit(found);
  }
  const root = { name: packageJson.name, version: packageJson.version, dependencies: packageJson.dependencies, engines: packageJson.engines };
  const packages = { '': root };
  for (const path of Object.keys(kept).sort()) packages[path] = kept[path];
  return { name: packageJson.name, version: packageJson.version, lockfileVersion: 3, requires: true, packages };
}

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
      let lockfile = createLockFile(packageJson, readCachedProjectGraph(), 'npm');
      // Nx's pruner cannot map a package nested under another (@bull-board/express 9.10.1 pins
      // its own @bull-board/api 9.10.1 beside the root's 9.10.2): it logs an error and returns the
      // whole root lockfile. Prune that one here instead.
      if (JSON.parse(lockfile).name !== packageJson.name) {
        lockfile = `${JSON.stringify(pruneNpmLockfile(JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')), packageJson), null, 2)}\n`;
        process.stderr.write(`${app}: package-lock.json pruned by tools/build/esbuild.config.cjs (Nx's pruner failed, see above)\n`);
      }
      writeFileSync(join(outDir, 'package-lock.json'), lockfile);
    });
  },
};

module.exports = {
  outExtension: { '.js': '.js' },
  plugins: [appPackageJson],
};
