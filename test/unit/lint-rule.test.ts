// The layers (docs/ARCHITECTURE.md) are enforced by lint: each forbidden kind of import, static and
// dynamic, fails, and what a layer may import passes.
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/ferry'

const eslint = new ESLint({ cwd: ROOT })

/** Lints `source` as if it were the file at `rel`, with the project's own config: the layer rules' messages. */
async function lint(rel: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath: `${ROOT}/${rel}` })
  return result!.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message)
}

const importOf = (from: string) => `import { x } from '${from}'\n\nexport const y = x\n`
const dynamicOf = (from: string) => `export const load = () => import('${from}')\n`

/** [file, import, what the message says]: every kind of import a layer may not make. */
const FORBIDDEN: [string, string, RegExp][] = [
  // electron outside the shell, the preload and the entry
  ['src/main/engine/queue/probe.ts', 'electron', /only src\/main\/shell.* may import electron/],
  ['src/main/server/probe.ts', 'electron', /may import electron/],
  ['src/cli/probe.ts', 'electron', /may import electron/],
  ['src/cli/connect.ts', 'electron', /may import electron/],
  ['src/shared/probe.ts', 'electron', /no electron, node or DOM/],
  ['src/renderer/src/x.ts', 'electron', /through api\//],
  // shared: nothing of ours, no node
  ['src/shared/probe.ts', 'node:fs', /no electron, node or DOM/],
  ['src/shared/probe.ts', '../main/engine/paths', /imports nothing of ours/],
  ['src/shared/probe.ts', '../renderer/src/api/client', /imports nothing of ours/],
  ['src/shared/probe.ts', '../cli/format', /imports nothing of ours/],
  // renderer: shared only
  ['src/renderer/src/store/probe.ts', '../../../main/engine/engine', /imports src\/shared only/],
  ['src/renderer/src/store/probe.ts', '../../../main/server/static', /imports src\/shared only/],
  ['src/renderer/src/probe.ts', '../../preload/index', /imports src\/shared only/],
  ['src/renderer/src/probe.ts', '../../cli/format', /imports src\/shared only/],
  ['src/renderer/src/probe.ts', 'node:path', /through api\//],
  // engine: never a transport or a client
  ['src/main/engine/queue/probe.ts', '../../server/server', /never imports server/],
  ['src/main/engine/probe.ts', '../shell/tray', /never imports server/],
  ['src/main/engine/sync/probe.ts', '../../../cli/format', /never imports server/],
  ['src/main/engine/probe.ts', '../../renderer/src/api/client', /never imports server/],
  ['src/main/engine/probe.ts', '../../preload/index', /never imports server/],
  // server and shell: the engine through its interfaces only
  ['src/main/server/probe.ts', '../engine/engine', /engine\/api\.ts/],
  ['src/main/server/probe.ts', '../engine/queue/queue', /engine\/api\.ts/],
  ['src/main/server/probe.ts', '../shell/window', /interfaces only/],
  ['src/main/server/probe.ts', '../../cli/connect', /interfaces only/],
  ['src/main/shell/probe.ts', '../engine/engine', /engine\/api\.ts/],
  ['src/main/shell/probe.ts', '../engine/caller-policy', /engine\/api\.ts/],
  ['src/main/shell/probe.ts', '../../cli/format', /electron only/],
  ['src/main/shell/probe.ts', '../../renderer/src/api/client', /electron only/],
  // the CLI: shared and the transport; the engine only through cli/connect.ts
  ['src/cli/commands/probe.ts', '../../main/engine/convert/args', /through the contract/],
  ['src/cli/commands/probe.ts', '../../main/engine/sync/scan', /through the contract/],
  ['src/cli/probe.ts', '../main/engine/engine', /through the contract/],
  ['src/cli/probe.ts', '../main/shell/app', /shared\/ and the transport only/],
  ['src/cli/probe.ts', '../renderer/src/api/client', /shared\/ and the transport only/],
  // the preload: shared and electron
  ['src/preload/probe.ts', '../main/engine/engine', /shared\/ and electron only/],
  ['src/preload/probe.ts', '../renderer/src/api/client', /shared\/ and electron only/],
]

/** What each layer may import. */
const ALLOWED: [string, string][] = [
  ['src/main/shell/probe.ts', 'electron'],
  ['src/preload/probe.ts', 'electron'],
  ['src/main/index.ts', 'electron'],
  ['src/main/index.ts', './engine/engine'],
  ['src/shared/probe.ts', './model'],
  ['src/renderer/src/store/probe.ts', '../../../shared/contract'],
  ['src/renderer/src/store/probe.ts', '../api/client'],
  ['src/main/engine/queue/probe.ts', '../../../shared/model'],
  ['src/main/engine/queue/probe.ts', '../sync/scan'],
  ['src/main/server/probe.ts', '../engine/api'],
  ['src/main/server/probe.ts', '../../shared/wire'],
  ['src/main/shell/probe.ts', '../engine/api'],
  ['src/main/shell/probe.ts', '../server/server'],
  ['src/cli/commands/probe.ts', '../../shared/contract'],
  ['src/cli/commands/probe.ts', '../../main/server/server'],
  ['src/cli/commands/probe.ts', '../connect'],
  ['src/cli/connect.ts', '../main/engine/engine'],
  ['src/preload/probe.ts', '../shared/ipc'],
]

describe('the layer rules (eslint.config.mjs)', () => {
  for (const [file, from, says] of FORBIDDEN) {
    it(`refuses ${from} in ${file}, as an import and as an import()`, async () => {
      const statics = await lint(file, importOf(from))
      expect(statics).toHaveLength(1)
      expect(statics[0]).toMatch(says)
      const dynamics = await lint(file, dynamicOf(from))
      expect(dynamics).toHaveLength(1)
      expect(dynamics[0]).toMatch(says)
    })
  }

  it('lets each layer import what it may', async () => {
    for (const [file, from] of ALLOWED) {
      expect(await lint(file, importOf(from)), `${from} in ${file}`).toEqual([])
      expect(await lint(file, dynamicOf(from)), `import('${from}') in ${file}`).toEqual([])
    }
  })

  it('refuses a re-export across a layer too', async () => {
    expect(await lint('src/main/shell/probe.ts', "export { Engine } from '../engine/engine'\n")).toHaveLength(
      1,
    )
  })
})
