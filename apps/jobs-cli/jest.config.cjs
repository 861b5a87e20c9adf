module.exports = {
  displayName: 'jobs-cli',
  preset: '../../jest.preset.cjs',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // The end-to-end specs run the real built command: build it once per jest run.
  globalSetup: '<rootDir>/src/test-support/build-cli.global-setup.cjs',
};
