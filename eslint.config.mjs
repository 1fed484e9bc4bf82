import svelte from 'eslint-plugin-svelte'
import tseslint from 'typescript-eslint'

import svelteConfig from './svelte.config.mjs'

/** A layer may not import from the folders `regex` names (relative import strings). */
const forbid = (regex, message) => ({ regex, message })

const callersOnly = forbid(
  '^(\\.\\./)+helper/',
  'callers reach the helper through src-main/helper-client, never its internals.'
)

/**
 * Who may import whom (docs/architecture.md, "Layout"). The helper's internals are the root side:
 * callers reach it only through helper-client/ (whose in-process transport loads helper/in-process
 * by a dynamic import), the doctor through the one transaction engine (helper/apply-plan).
 */
const LAYERS = [
  {
    files: ['src-main/core/**/*.ts'],
    ignores: ['src-main/core/**/*.spec.ts'],
    paths: ['electron', 'child_process', 'node:child_process'],
    patterns: [forbid('^(\\.\\./){2,}', 'src-main/core is pure: it imports only core/ and npm libraries.')]
  },
  {
    files: ['src-main/contract/**/*.ts'],
    paths: ['electron', 'child_process', 'node:child_process'],
    patterns: [forbid('^\\.\\./(?!core/)', 'the contract imports only itself and the core (types and pure rules).')]
  },
  {
    files: ['src-main/store/**/*.ts'],
    paths: ['electron', 'child_process', 'node:child_process'],
    patterns: [forbid('^\\.\\./(?!core/)', 'the store imports only the core.')]
  },
  {
    files: ['src-main/helper/**/*.ts'],
    paths: ['electron'],
    patterns: [
      forbid(
        '^(\\.\\./)+(app|cli|helper-client|sandbox|watch|preload)/',
        'the helper is the root side: it imports core, contract, store, host, doctor, never its callers.'
      )
    ]
  },
  {
    files: ['src-main/doctor/**/*.ts'],
    paths: ['electron'],
    patterns: [
      forbid('^(\\.\\./)+(app|cli|helper-client|sandbox|watch|preload)/', 'the doctor runs on the root side.'),
      forbid(
        '^(\\.\\./)+helper/(?!apply-plan$)',
        'the doctor uses the helper only through its transaction engine (helper/apply-plan).'
      )
    ]
  },
  {
    files: ['src-main/helper-client/**/*.ts'],
    paths: ['electron'],
    patterns: [
      forbid('^\\.\\./(app|cli|store|doctor|sandbox|watch|preload)/', 'the helper client knows only the contract.'),
      forbid('^\\.\\./helper/', "the helper's code is loaded only by the in-process transport (a dynamic import).")
    ]
  },
  {
    files: ['src-main/{app,preload}/**/*.ts'],
    patterns: [callersOnly]
  },
  {
    files: ['src-main/{cli,host,watch,sandbox}/**/*.ts'],
    paths: ['electron'],
    patterns: [callersOnly]
  }
]

/** The renderer's import limits, plus `extra` patterns. */
function rendererImports(extra) {
  return {
    paths: ['electron', 'child_process', 'node:child_process', 'fs', 'node:fs'].map((name) => ({
      name,
      message: 'the renderer runs sandboxed: it has no node and no electron.'
    })),
    patterns: [
      {
        regex: '^(\\.\\./)+src-main/(?!contract/)',
        allowTypeImports: true,
        message: 'the renderer takes only types from the main process (values only from src-main/contract).'
      },
      ...extra
    ]
  }
}

const layerRules = LAYERS.map(({ files, ignores = [], paths = [], patterns = [] }) => ({
  files,
  ignores,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: paths.map((name) => ({ name, message: `${files[0]} may not import ${name}.` })),
        patterns
      }
    ]
  }
}))

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'reports/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'], svelteConfig }
    }
  },
  {
    // A promise nobody awaits or catches loses its error: every call site decides, in the code.
    files: ['src-main/**/*.ts', 'src-renderer/**/*.{ts,svelte}'],
    languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'] } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }]
    }
  },
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  ...layerRules,
  {
    // The renderer knows the main process by its types; the only values it takes are the contract's.
    files: ['src-renderer/**/*.{ts,svelte}'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', rendererImports([])] }
  },
  {
    // Test support (the fake API) lives in test/renderer-support: only specs may import it.
    files: ['src-renderer/**/*.{ts,svelte}'],
    ignores: ['src-renderer/**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        rendererImports([{ regex: '^(\\.\\./)+test/', message: 'the app may not import test support.' }])
      ]
    }
  },
  {
    files: ['**/*.mjs', 'scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } }
  }
)
