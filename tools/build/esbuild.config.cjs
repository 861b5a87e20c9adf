// esbuild options shared by every worker app's build (project.json `esbuildConfig`).
//
// The app's package.json is written from what its bundle really requires: Nx's
// `generatePackageJson` lists every npm package reachable in the project graph, and spec files
// of the libs import @jobs/test-support, whose fake servers use every other worker's SDK — so
// the SEO worker's manifest listed 17 packages (232 installed, 154 MB). Here the bundle's
// external imports (esbuild's metafile; the build keeps every npm package external) become the
// dependencies, pinned to the root package.json's versions, and Nx prunes the root lockfile to
// them.
const { builtinModules } = require('node:module');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { basename, dirname, join } = require('node:path');

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
      const packageJson = { name: app, version: '0.0.1', private: true, main: './main.js', type: 'commonjs', engines: root.engines, dependencies };
      mkdirSync(outDir, { recursive: true });
      writeFileSync(join(outDir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);
      // The root lockfile pruned to these dependencies, so the image installs the tested versions.
      const { readCachedProjectGraph } = require('@nx/devkit');
      const { createLockFile } = require('@nx/js');
      writeFileSync(join(outDir, 'package-lock.json'), createLockFile(packageJson, readCachedProjectGraph(), 'npm'));
    });
  },
};

module.exports = {
  outExtension: { '.js': '.js' },
  plugins: [appPackageJson],
};
