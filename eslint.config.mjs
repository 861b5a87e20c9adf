import nx from '@nx/eslint-plugin';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.nx'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            // An app may use the libs, never another app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:worker-kit', 'type:common', 'type:net-guard', 'type:test-support'] },
            // The worker kit builds on the contracts ...
            { sourceTag: 'type:worker-kit', onlyDependOnLibsWithTags: ['type:contracts', 'type:common', 'type:test-support'] },
            // ... and the contracts, which the web application imports too, on nothing but the
            // general helpers (so the contracts' public API stays contracts, producers, stats and errors).
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:common', 'type:test-support'] },
            // General helpers (timeouts, env parsing, zod error text) know no job, queue or worker.
            { sourceTag: 'type:common', onlyDependOnLibsWithTags: [] },
            // The SSRF guard and its guarded HTTP request (apps that call URLs users give) know no job or queue.
            { sourceTag: 'type:net-guard', onlyDependOnLibsWithTags: ['type:test-support'] },
            // Test helpers (a real Redis, throwaway servers) stand alone, usable by every test.
            { sourceTag: 'type:test-support', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:contracts', 'type:worker-kit', 'type:common', 'type:net-guard', 'type:test-support', 'type:app'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Test helpers never ship inside a worker bundle.
    files: ['libs/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/test-support/**', 'libs/test-support/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: '@jobs/test-support', message: 'Only tests may import @jobs/test-support.' }] }],
    },
  },
  {
    // In tests a `!` after a lookup that the test itself just made is the assertion.
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
