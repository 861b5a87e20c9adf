#!/usr/bin/env node
// The `jobs-cli` command (the "bin" of apps/jobs-cli/package.json, an npm workspace, so npm links it into node_modules/.bin and `npx jobs-cli …` works in the workspace). Runs the built
// CLI (dist/apps/jobs-cli/main.js, `npx nx build jobs-cli`) when there is one, else the
// TypeScript source through tsx, saying so on stderr. Either runs in this process, so the exit
// code and Ctrl-C are the command's own.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const built = join(root, 'dist', 'apps', 'jobs-cli', 'main.js');

if (existsSync(built)) {
  require(built);
} else {
  process.stderr.write('jobs-cli: no build at dist/apps/jobs-cli (npx nx build jobs-cli); running the TypeScript source through tsx\n');
  // tsx reads the path aliases (@jobs/*) from the tsconfig this variable names.
  process.env.TSX_TSCONFIG_PATH ??= join(root, 'tsconfig.base.json');
  require('tsx/cjs/api').register();
  require(join(root, 'apps', 'jobs-cli', 'src', 'main.ts'));
}
