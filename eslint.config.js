import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly' } },
    // Terminal captures are made of escape sequences: matching them is the point.
    rules: { 'no-control-regex': 'off' },
  },
  {
    // The core is pure: no wall clock, no ambient randomness, no timers (DESIGN.md).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'core reads no clock' },
        { object: 'Math', property: 'random', message: 'use the seeded PRNG' },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process', 'performance'],
    },
  },
);
