// Lint: ESLint (typescript-eslint) for code rules; Prettier for formatting (`npm run format`).
//
// The layers (docs/ARCHITECTURE.md, "Layers, and what each may import") are enforced here, for static
// imports (no-restricted-imports) and dynamic ones (no-restricted-syntax on import()):
//   shared/   nothing of ours; no electron, node or DOM
//   engine/   shared/; never server/, shell/, cli/, renderer/, preload/ or electron
//   server/   shared/, and the engine through engine/api.ts only (its interfaces); never electron
//   shell/    shared/, server/, the engine through engine/api.ts only, electron
//   preload/  shared/, electron
//   renderer/ shared/ only
//   cli/      shared/, server/ (the transport); the engine only in cli/connect.ts, its one door
// src/main/index.ts (the desktop entry) is where the app is put together, and may import any of them.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const LAYERS = 'docs/ARCHITECTURE.md, "Layers, and what each may import"'

const electron = {
  name: 'electron',
  message: `This code runs under plain Node: only src/main/shell, src/preload and src/main/index.ts may import electron (${LAYERS}).`,
}

/** Folders of ours, as relative imports name them. */
const under = (folder) => [`**/${folder}`, `**/${folder}/**`]
// (A folder's own glob would refuse `engine/api` too: gitignore semantics cannot re-include below it.)
const ENGINE_BUT_API = ['**/engine/**', '!**/engine/api']

/**
 * A layer's import rules: `paths` (packages by name), and `forbid`: [globs, message] pairs. The same
 * globs refuse an `import()` of a literal path (no-restricted-syntax, as a regular expression).
 */
function layer({ paths = [], forbid = [] }) {
  const patterns = forbid.map(([group, message]) => ({ group, message }))
  const dynamic = [
    ...paths.map(({ name, message }) => ({
      selector: `ImportExpression > Literal[value="${name}"]`,
      message,
    })),
    ...forbid.map(([group, message]) => ({
      selector: `ImportExpression > Literal[value=${toRegex(group)}]`,
      message,
    })),
  ]
  return {
    'no-restricted-imports': ['error', { paths, patterns }],
    // Severity alone would keep an earlier block's selectors (flat config): 'off' when there are none.
    'no-restricted-syntax': dynamic.length ? ['error', ...dynamic] : 'off',
  }
}

/**
 * A group's globs (gitignore-style, as no-restricted-imports reads them; `!` marks an exception) as
 * one regular expression for esquery, whose regular expressions may not hold a slash: \x2F stands in.
 */
function toRegex(group) {
  const one = (glob) => {
    const anywhere = glob.startsWith('**/') || !glob.replace(/\/\*\*$/, '').includes('/')
    let g = glob.replace(/^\*\*\//, '')
    const below = g.endsWith('/**')
    if (below) g = g.slice(0, -3)
    const body = g
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\//g, '\\x2F')
      .replace(/\*/g, '[^\\x2F]*')
    return `${anywhere ? '(.*\\x2F)?' : ''}${body}(\\x2F.*)?`
  }
  const yes = [...new Set(group.filter((g) => !g.startsWith('!')).map(one))]
  const no = group.filter((g) => g.startsWith('!')).map((g) => one(g.slice(1)))
  const except = no.length ? `(?!(${no.join('|')})$)` : ''
  return `/^${except}(${yes.join('|')})$/`
}

const ENGINE_ONLY_BY_API =
  'The transports reach the engine through its interfaces in src/main/engine/api.ts (InvokeTarget, ServedEngine, HostedEngine), never its classes or internals'

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
  {
    files: ['src/shared/**'],
    rules: layer({
      forbid: [
        [
          ['electron', 'node:*', 'fs', 'path', 'child_process', 'react', 'react-dom'],
          `src/shared is imported by every side: no electron, node or DOM imports (${LAYERS}).`,
        ],
        [['../*', '../**'], `src/shared imports nothing of ours outside src/shared (${LAYERS}).`],
      ],
    }),
  },
  {
    files: ['src/main/engine/**'],
    rules: layer({
      paths: [electron],
      forbid: [
        [
          [...under('server'), ...under('shell'), ...under('cli'), ...under('renderer'), ...under('preload')],
          `The engine is below every transport and client: it never imports server/, shell/, cli/, renderer/ or preload/ (${LAYERS}).`,
        ],
      ],
    }),
  },
  {
    files: ['src/main/server/**'],
    rules: layer({
      paths: [electron],
      forbid: [
        [ENGINE_BUT_API, `${ENGINE_ONLY_BY_API} (${LAYERS}).`],
        [
          [...under('shell'), ...under('cli'), ...under('renderer'), ...under('preload')],
          `The server imports shared/ and the engine's interfaces only (${LAYERS}).`,
        ],
      ],
    }),
  },
  {
    files: ['src/main/shell/**'],
    rules: layer({
      forbid: [
        [ENGINE_BUT_API, `${ENGINE_ONLY_BY_API} (${LAYERS}).`],
        [
          [...under('cli'), ...under('renderer'), ...under('preload')],
          `The shell imports shared/, server/, the engine's interfaces and electron only (${LAYERS}).`,
        ],
      ],
    }),
  },
  {
    files: ['src/preload/**'],
    rules: layer({
      forbid: [
        [
          [...under('main'), ...under('renderer'), ...under('cli')],
          `The preload imports shared/ and electron only (${LAYERS}).`,
        ],
      ],
    }),
  },
  {
    files: ['src/cli/**'],
    rules: layer({
      paths: [electron],
      forbid: [
        [
          under('main/engine'),
          `The CLI reaches the engine through the contract (src/shared/contract.ts); only src/cli/connect.ts may open an engine of its own (${LAYERS}).`,
        ],
        [
          [...under('main/shell'), ...under('renderer'), ...under('preload')],
          `The CLI imports shared/ and the transport only (${LAYERS}).`,
        ],
      ],
    }),
  },
  {
    // The CLI's one door to an engine of its own: `ferry serve`, and a command when no engine runs.
    files: ['src/cli/connect.ts'],
    rules: layer({ paths: [electron] }),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layer({
        forbid: [
          [['electron', 'node:*'], `The renderer reaches the engine through api/ only (${LAYERS}).`],
          [
            [...under('main'), ...under('preload'), ...under('cli')],
            `The renderer imports src/shared only, and reaches the engine through api/ (${LAYERS}).`,
          ],
        ],
      }),
    },
  },
)
