// jest globalSetup of jobs-cli: builds the CLI once per jest run with its real build target
// (esbuild through Nx, project.json), so the end-to-end specs run dist/apps/jobs-cli/main.js as
// users do. The type-check the build would run is skipped here: it is `tsc`'s job
// (npm run typecheck), and it doubles the build's time on a 2-core machine.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function buildCli() {
  const root = join(__dirname, '..', '..', '..', '..');
  execFileSync('npx', ['nx', 'build', 'jobs-cli', '--skip-nx-cache', '--skipTypeCheck', '--outputStyle=static'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false' },
  });
};
