import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/ferry'

const eslint = new ESLint({ cwd: ROOT })

/** Lints `source` as if it were the file at `rel`, with the project's own config. */
async function lint(rel: string, source: string) {
  const [result] = await eslint.lintText(source, { filePath: `${ROOT}/${rel}` })
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('the lint rule that keeps electron out of the engine', () => {
  const source = "import { app } from 'electron'\n\nexport const name = app.name\n"

  it('fails on an electron import under src/main/engine/', async () => {
    const messages = await lint('src/main/engine/queue/probe.ts', source)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain('only src/main/shell and src/main/index.ts may import electron')
  })

  it('fails in the server, the CLI, src/shared and the renderer too', async () => {
    for (const rel of [
      'src/main/server/probe.ts',
      'src/cli/probe.ts',
      'src/shared/probe.ts',
      'src/renderer/src/x.ts',
    ]) {
      expect(await lint(rel, source)).toHaveLength(1)
    }
    expect(await lint('src/shared/probe.ts', "import { readFileSync } from 'node:fs'\n")).toHaveLength(1)
  })

  it('allows it in the shell', async () => {
    expect(await lint('src/main/shell/probe.ts', source)).toEqual([])
  })
})
