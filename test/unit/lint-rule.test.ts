import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT, tempDir } from '../helpers/ferry'

/** Lints one file placed at `rel` in a scratch tree that uses the project's biome.json. */
function lint(rel: string, source: string): { ok: boolean; output: string } {
  const file = join(scratch.path, rel)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, source)
  try {
    const output = execFileSync(join(ROOT, 'node_modules/.bin/biome'), ['lint', '--colors=off', rel], {
      cwd: scratch.path,
      encoding: 'utf8',
      stdio: 'pipe',
    })
    return { ok: true, output }
  } catch (err) {
    const e = err as { stdout: string; stderr: string }
    return { ok: false, output: e.stdout + e.stderr }
  }
}

const scratch = tempDir()
// The project's config, minus what ties it to this checkout (schema path, git ignore file).
const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8')) as Record<string, unknown>
writeFileSync(join(scratch.path, 'biome.json'), JSON.stringify({ ...config, $schema: undefined, vcs: { enabled: false } }))

describe('the lint rule that keeps electron out of the engine', () => {
  afterAll(() => scratch.remove())
  const source = "import { app } from 'electron'\n\nexport const name = app.name\n"

  it('fails on an electron import under src/main/engine/', () => {
    const r = lint('src/main/engine/queue/probe.ts', source)
    expect(r.ok).toBe(false)
    expect(r.output).toContain('noRestrictedImports')
    expect(r.output).toContain('only src/main/shell and src/main/index.ts may import electron')
  })

  it('fails in the server and the CLI too, and in src/shared', () => {
    expect(lint('src/main/server/probe.ts', source).ok).toBe(false)
    expect(lint('src/cli/probe.ts', source).ok).toBe(false)
    expect(lint('src/shared/probe.ts', source).ok).toBe(false)
  })

  it('allows it in the shell', () => {
    expect(lint('src/main/shell/probe.ts', source)).toMatchObject({ ok: true })
  })
})
