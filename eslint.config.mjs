// Lint: ESLint (typescript-eslint) for code rules; Prettier for formatting (`npm run format`).
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const electronOutside = (where) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'electron',
          message: `${where} runs under plain Node: only src/main/shell and src/main/index.ts may import electron (see DESIGN.md).`,
        },
      ],
    },
  ],
})

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'native/**', 'test-results/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  { files: ['bin/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  { files: ['src/main/engine/**', 'src/main/server/**', 'src/cli/**'], rules: electronOutside('This code') },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'node:*', 'fs', 'path', 'child_process', 'react', 'react-dom'],
              message: 'src/shared is imported by every side: no electron, node or DOM imports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'node:*'], message: 'The renderer reaches the engine through api/ only.' },
          ],
        },
      ],
    },
  },
)
