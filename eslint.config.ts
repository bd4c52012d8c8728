/**
 * Type-aware lint (typescript-eslint on the real TypeScript checker). The rules that matter most here are
 * the promise ones: a build journals to the lockfile before each paid POST, so an un-awaited write or a
 * promise handed to a callback that ignores it can lose a record or charge twice.
 */
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'bench/**', 'bin/**', 'examples/**', 'schema/**', 'heygen.config.ts', 'src/emulator/assets/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/only-throw-error': 'error',
      // Passing on an abort reason or a caught error as is is right; a literal non-Error is not.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
      '@typescript-eslint/require-array-sort-compare': ['error', { ignoreStringArrays: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (expect.any, expect.stringContaining...) are typed `any` so they fit
      // any slot; this rule would flag each one. The other no-unsafe-* rules still catch a real `any` in use.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      // Fakes implement async interfaces with plain values: `async () => x` is the honest way to write them.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // These tests read the emulator's raw wire JSON, typed `any` on purpose (test/emulator/helpers.ts,
    // Answer.json) and checked field by field with expect(): reading it is the point of the test.
    files: ['test/emulator/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
