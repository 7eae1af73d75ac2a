// One flat config for the whole repo: type-aware rules through the TypeScript project service.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Non-null assertions (`xs[i]!`) are for the kernels: hot loops over typed arrays whose indices
// are proven in range, where a check per element would cost. Everywhere else code is type-safe.
const ONLY_KERNELS_ASSERT_NON_NULL = true;
const kernels = [
  'packages/engine/src/compile/**',
  'packages/engine/src/graph.ts',
  'packages/nn/src/mt19937.ts',
];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/reports/**',
      '**/out/**',
      '**/docs/**',
      '**/*.config.*',
      '**/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...(ONLY_KERNELS_ASSERT_NON_NULL
    ? [
        {
          files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
          ignores: kernels,
          rules: { '@typescript-eslint/no-non-null-assertion': 'error' },
        },
      ]
    : []),
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
