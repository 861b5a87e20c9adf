import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The Node major of an official node image reference: `node:24-bookworm-slim` → 24,
 * `node:24.11.1-bookworm-slim@sha256:…` → 24.
 * @throws Error for any other image.
 */
export function nodeMajorOfImage(image: string): number {
  const match = /^(?:docker\.io\/(?:library\/)?)?node:(\d+)[.-]/.exec(image);
  if (!match) throw new Error(`${image} is not an official node image with a major version in its tag`);
  return Number(match[1]);
}

/** The `node -v` of the node binary in `binDir`, e.g. `v24.21.0`; '' when there is none. */
function versionIn(binDir: string): string {
  const run = spawnSync(join(binDir, 'node'), ['-v'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : '';
}

/**
 * A bin folder holding a `node` of `major`, so a replayed image runs on the image's Node, not on
 * the one running the tests. Installed from the npm registry's `node` package (it ships the
 * binary as a package) into a folder under the temp dir, kept as a cache between runs
 * (`jobs-image-node-<major>`; ~190 MB; a newer patch is not fetched while it exists); readable by
 * every user, so the replay's unprivileged user can run it.
 * @throws Error when the install fails or brings another major.
 */
export function imageNodeBin(major: number): string {
  const cache = join(tmpdir(), `jobs-image-node-${major}`);
  const bin = join(cache, 'node_modules/.bin');
  if (versionIn(bin).startsWith(`v${major}.`)) return bin;
  const staging = mkdtempSync(join(tmpdir(), `jobs-image-node-${major}-`));
  const install = spawnSync('npm', ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `node@${major}`], { encoding: 'utf8' });
  if (install.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`npm install node@${major} failed:\n${install.stderr}`);
  }
  spawnSync('chmod', ['-R', 'a+rX', staging]);
  if (versionIn(bin).startsWith(`v${major}.`)) {
    // Another run filled the cache meanwhile (and may be using it): keep that one.
    rmSync(staging, { recursive: true, force: true });
  } else {
    if (existsSync(cache)) rmSync(cache, { recursive: true, force: true });
    renameSync(staging, cache);
  }
  const version = versionIn(bin);
  if (!version.startsWith(`v${major}.`)) throw new Error(`npm's node@${major} package gave node ${version || '(none)'} in ${bin}`);
  return bin;
}
