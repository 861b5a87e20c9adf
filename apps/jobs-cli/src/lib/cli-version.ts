/**
 * What `jobs-cli --version` prints: the workspace's version (root package.json `version`, which a
 * bundled app cannot import across the project boundary; cli-version.spec.ts keeps the two equal).
 */
export const CLI_VERSION = '0.1.0';
