// Shared jest settings: Nx's preset (its resolver maps the tsconfig path aliases), with
// @swc/jest instead of ts-jest (type-checking is `npm run typecheck`'s job; swc is ~10x faster
// on a 2-core machine), and a node environment.
const { nxPreset } = require('@nx/jest/preset');

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    // apify-client loads proxy-agent with a dynamic import() on its first request, which jest's
    // CommonJS runtime refuses; compiled to require() it runs as under Node.
    '/node_modules/apify-client/.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!apify-client/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // A ceiling that only catches hangs: process tests start workers through tsx, which on a
  // 2-core machine with both cores busy can take tens of seconds.
  testTimeout: 60_000,
  setupFilesAfterEnv: [require('node:path').join(__dirname, 'libs/test-support/src/jest-leak-check.ts')],
};
