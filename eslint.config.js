// The TypeScript and JavaScript lint gate (npm run lint): typescript-eslint's strict rules.
import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'build-*/', 'node_modules/', 'prebuilds/', 'release/', 'test-output/', 'lstm-lrp-results/', 'wasm/', 'test/fixtures/', 'test/snapshots/'] },
  js.configs.recommended,
  tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Lookups of keys and indices the code has just validated or built (a tensor map, a parsed layout) assert non-null by design.
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Escaping control characters in messages, stripping ANSI colours and checking markup are what those patterns are for.
      'no-control-regex': 'off',
      // Leaving out a field by destructuring it next to a rest element is how the code copies an object without it.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['examples/browser/**', 'scripts/tarball/vite-app/**', 'test/browser/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs', '**/*.cts'],
    languageOptions: { sourceType: 'commonjs' },
    // CommonJS files load and type-check the package as CommonJS consumers do.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
)
