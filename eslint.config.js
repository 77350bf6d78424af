// Lint with type information, run by `npm test` (scripts/run-tests.ts): what review misses, the compiler does not
// catch and Prettier does not format. Fix with `npx eslint --fix .` where a rule can fix itself.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Prettier wraps code at 140 columns but never splits a string. Messages stay whole, so a message a person reports is
 * found with one search; anything else past 160 columns (a comment, code Prettier cannot break) is an error.
 */
const lineLength = {
  'max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true }],
};

export default defineConfig(
  globalIgnores(['dist/', 'out/', '.data/', 'coverage/']),
  { files: ['**/*.ts', '**/*.js'], rules: lineLength },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its error and outlives what started it (a tick after stop(), a reply after the turn).
      '@typescript-eslint/no-floating-promises': 'error',
      // A switch names every case of its union or says what happens to the rest (a default); over a string it has a default.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: true },
      ],
      // Each `!` is a claim the compiler cannot check: prefer a type that holds the value, or a check that says why.
      '@typescript-eslint/no-non-null-assertion': 'warn',
      // An async function without await is how an interface is met (restify handlers, test doubles); not a defect.
      '@typescript-eslint/require-await': 'off',
      // botbuilder's string enums (ActivityTypes) are meant to be compared with the activity's string fields.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // `_name` marks what is left out on purpose (a destructured field dropped, an argument an interface requires).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests (and the help-desk evaluation, which reads replies the same way) read JSON bodies and cards as `any` on
    // purpose, and a `!` that is wrong fails the test it is in.
    files: ['test/**/*.ts', 'scripts/eval-helpdesk.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // The tab's front-end: plain browser modules, not type-checked.
    files: ['tab/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['eslint.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
