// Packaged builds flip Electron's fuses as the README says. electron-builder reads
// electron-builder.yml; this test reads the same file (its top-level keys and the flat electronFuses
// map — all it needs of YAML) and checks each fuse name against electron-builder's own schema, so a
// misspelt fuse cannot pass silently.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/ferry'

const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')

/** Top-level `key: value` lines, and the indented `key: value` lines of one top-level block. */
function topLevel(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of text.matchAll(/^([A-Za-z][\w-]*):[ \t]*(.*?)[ \t]*(?:#.*)?$/gm)) out.set(m[1]!, m[2]!)
  return out
}
function block(text: string, key: string): Map<string, string> {
  const lines = text.split(/\r?\n/)
  const start = lines.findIndex((l) => l.startsWith(`${key}:`))
  const out = new Map<string, string>()
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break // the next top-level key
    const m = /^\s+([A-Za-z][\w-]*):\s*(\S+?)\s*(?:#.*)?$/.exec(line)
    if (m) out.set(m[1]!, m[2]!)
  }
  return out
}
const asBool = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : v)

describe('electron-builder.yml', () => {
  const top = topLevel(yml)
  const fuses = block(yml, 'electronFuses')

  it('sets the fuses the README lists: runAsNode off, onlyLoadAppFromAsar, asar integrity', () => {
    expect(top.get('electronFuses')).toBe('')
    expect(asBool(fuses.get('runAsNode'))).toBe(false)
    expect(asBool(fuses.get('onlyLoadAppFromAsar'))).toBe(true)
    expect(asBool(fuses.get('enableEmbeddedAsarIntegrityValidation'))).toBe(true)
    // No NODE_OPTIONS and no --inspect in a packaged app either.
    expect(asBool(fuses.get('enableNodeOptionsEnvironmentVariable'))).toBe(false)
    expect(asBool(fuses.get('enableNodeCliInspectArguments'))).toBe(false)
  })

  it('names only fuses electron-builder knows, each true or false', () => {
    const scheme = JSON.parse(
      readFileSync(join(ROOT, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
    ) as { definitions: { FuseOptionsV1: { properties: Record<string, unknown> } } }
    const known = Object.keys(scheme.definitions.FuseOptionsV1.properties)
    expect(fuses.size).toBeGreaterThanOrEqual(5)
    for (const [name, value] of fuses) {
      expect(known, `unknown fuse ${name}`).toContain(name)
      expect(['true', 'false']).toContain(value)
    }
  })

  it('packs the app into an asar archive (what onlyLoadAppFromAsar and integrity check)', () => {
    expect(top.get('asar') ?? 'true').not.toBe('false')
  })
})
