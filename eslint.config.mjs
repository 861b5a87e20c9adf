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
            // An app may use the two libs, never another app.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:worker-kit'] },
            // The worker kit builds on the contracts ...
            { sourceTag: 'type:worker-kit', onlyDependOnLibsWithTags: ['type:contracts'] },
            // ... and the contracts, which the web application imports too, stand alone.
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:contracts', 'type:worker-kit', 'type:app'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
