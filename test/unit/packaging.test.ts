// electron-builder.yml, checked without building a package (Electron's binaries cannot be downloaded
// here): it passes electron-builder's own validation; it targets AppImage, deb, dmg and nsis; what
// must run outside the asar (better-sqlite3's builds, this platform's ffmpeg binary) is unpacked; the
// files it packs and the paths it names exist after `npm run build`; the `ferry` CLI ships with every
// runtime package it requires and the deb puts it on PATH. The YAML is read with js-yaml, the parser
// electron-builder itself uses (a dependency of app-builder-lib), so no dependency is added for it.
import { accessSync, constants, existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import picomatch from 'picomatch'
import { describe, expect, it } from 'vitest'
import { ROOT } from '../helpers/ferry'

const require = createRequire(join(ROOT, 'package.json'))
const yaml = require('js-yaml') as { load(text: string): unknown }

interface FileSet {
  from: string
  to: string
  filter?: string[]
}
interface BuilderConfig {
  files: string[]
  asarUnpack: string[]
  npmRebuild: boolean
  extraResources: FileSet[]
  electronFuses: Record<string, boolean>
  linux: { target: string[]; executableName: string; icon: string }
  deb: { afterInstall: string; afterRemove: string }
  mac: { target: string[]; icon: string }
  win: { target: string[]; icon: string }
}
const config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig

/** Files under a folder, relative to ROOT, `/`-separated. */
function filesUnder(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else out.push(relative(ROOT, p).split('\\').join('/'))
    }
  }
  walk(join(ROOT, dir))
  return out
}

/** electron-builder's rule for `files`: the last pattern that matches decides, `!` excludes. */
function packed(file: string): boolean {
  let inside = false
  for (const pattern of config.files) {
    const negated = pattern.startsWith('!')
    if (picomatch(negated ? pattern.slice(1) : pattern, { dot: true })(file)) inside = !negated
  }
  return inside
}
const unpacked = (file: string) => config.asarUnpack.some((p) => picomatch(p, { dot: true })(file))

function built(file: string): string {
  const full = join(ROOT, file)
  if (!existsSync(full)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`)
  return full
}

function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(join(ROOT, file))
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG')
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) }
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own validation (a misspelt or misplaced option fails here)", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(c: unknown, log: { isEnabled: boolean; add(): void }): Promise<void>
    }
    await expect(
      validateConfiguration(config, { isEnabled: false, add: () => undefined }),
    ).resolves.toBeUndefined()
  })

  it('targets AppImage and deb on Linux, dmg on macOS, nsis on Windows, with the app icon', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
      expect(icon).toBe('build/icon.png')
      expect(pngSize(icon)).toEqual({ width: 512, height: 512 }) // electron-builder wants ≥ 512 for icns
    }
  })

  it("keeps the fuses the README lists (the CLI therefore cannot run on the app's Electron)", () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    })
  })

  it("packs the built app, its tray icons and better-sqlite3's Electron build; no source maps or types", () => {
    const main = (require(join(ROOT, 'package.json')) as { main: string }).main.replace(/^\.\//, '')
    built(main)
    for (const file of [main, 'out/preload/index.js', 'out/main/worker.js', 'out/renderer/index.html']) {
      built(file)
      expect(packed(file), file).toBe(true)
    }
    const resources = filesUnder('resources')
    for (const state of ['idle', 'syncing', 'paused', 'error']) {
      expect(resources).toContain(`resources/tray/${state}.png`)
      expect(resources).toContain(`resources/tray/${state}@2x.png`)
    }
    expect(resources).toContain('resources/icon.png')
    for (const file of resources) expect(packed(file), file).toBe(true)
    expect(packed('native/electron/better_sqlite3.node')).toBe(true)
    expect(packed('out/main/index.js.map')).toBe(false)
    expect(packed('out/types-node/tsconfig.node.tsbuildinfo')).toBe(false)
    expect(packed('src/main/index.ts')).toBe(false)
  })

  it('unpacks from the asar what must be loaded or executed: better-sqlite3 and the real ffmpeg binary', () => {
    expect(unpacked('native/electron/better_sqlite3.node')).toBe(true)
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true)
    // Where @ffmpeg-installer really puts this platform's binary.
    const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path
    const rel = relative(ROOT, ffmpeg).split('\\').join('/')
    expect(rel).toMatch(/^node_modules\/@ffmpeg-installer\/[a-z0-9]+-[a-z0-9]+\/ffmpeg(\.exe)?$/)
    expect(existsSync(ffmpeg)).toBe(true)
    expect(unpacked(rel)).toBe(true)
    // And the engine looks for it there (app.asar → app.asar.unpacked).
    expect(readFileSync(join(ROOT, 'src/main/engine/ffmpeg/locate.ts'), 'utf8')).toContain(
      'app.asar.unpacked',
    )
    expect(readFileSync(join(ROOT, 'src/main/index.ts'), 'utf8')).toContain('app.asar.unpacked')
  })

  it("does not rebuild node_modules for Electron (the CLI needs Node's build; the app loads native/electron)", () => {
    expect(config.npmRebuild).toBe(false)
    expect(readFileSync(join(ROOT, 'src/main/index.ts'), 'utf8')).toMatch(
      /'native', 'electron', 'better_sqlite3\.node'/,
    )
  })
})

describe('the ferry CLI in the packages', () => {
  const resource = (to: string) => config.extraResources.find((r) => r.to === to)

  it('ships its launcher, bin/ferry.cjs and the built CLI and worker bundles, all present after a build', () => {
    expect(resource('cli/ferry')?.from).toBe('build/linux/ferry')
    expect(resource('cli/bin/ferry.cjs')?.from).toBe('bin/ferry.cjs')
    const out = resource('cli/out/main')!
    expect(out.from).toBe('out/main')
    for (const r of config.extraResources) expect(existsSync(join(ROOT, r.from)), r.from).toBe(true)
    const bundles = filesUnder('out/main').map((f) => f.slice('out/main/'.length))
    const keep = picomatch(out.filter ?? ['**'])
    for (const f of ['cli.js', 'worker.js', 'scan-worker.js']) {
      built(`out/main/${f}`)
      expect(keep(f), f).toBe(true)
    }
    for (const f of bundles.filter((b) => b.startsWith('chunks/') && b.endsWith('.js')))
      expect(keep(f)).toBe(true)
    // bin/ferry.cjs finds the CLI where the resources put it: ../out/main/cli.js.
    expect(readFileSync(join(ROOT, 'bin/ferry.cjs'), 'utf8')).toContain(
      "join(__dirname, '..', 'out', 'main', 'cli.js')",
    )
  })

  it('ships every package the CLI requires at run time (install-time and ffmpeg packages aside)', () => {
    const filter = picomatch(resource('cli/node_modules')!.filter!)
    const pkg = (name: string) =>
      require(join(ROOT, 'node_modules', name, 'package.json')) as { dependencies?: Record<string, string> }
    const needed = new Set<string>()
    const installOnly = /^(prebuild-install|@ffmpeg-installer\/)/
    const walk = (name: string) => {
      if (needed.has(name) || installOnly.test(name)) return
      needed.add(name)
      for (const dep of Object.keys(pkg(name).dependencies ?? {})) walk(dep)
    }
    for (const dep of Object.keys(pkg('..').dependencies ?? {})) walk(dep)
    expect(needed.size).toBeGreaterThan(10)
    for (const name of needed) expect(filter(`${name}/package.json`), name).toBe(true)
    expect(filter('electron/package.json')).toBe(false) // no devDependency rides along
    expect(filter('vitest/package.json')).toBe(false)
  })

  it('the deb puts `ferry` on PATH and removes it with the package; the scripts are executable', () => {
    expect(config.linux.executableName).toBe('ferry-app') // `ferry` is the CLI's name
    const install = readFileSync(join(ROOT, config.deb.afterInstall), 'utf8')
    const remove = readFileSync(join(ROOT, config.deb.afterRemove), 'utf8')
    expect(install).toContain("ln -sf '/opt/${sanitizedProductName}/resources/cli/ferry' '/usr/bin/ferry'")
    // What electron-builder's default script does is still done: the app's link and chrome-sandbox.
    expect(install).toContain("'/usr/bin/${executable}'")
    expect(install).toContain('chrome-sandbox')
    expect(remove).toContain("rm -f '/usr/bin/ferry'")
    for (const file of [config.deb.afterInstall, config.deb.afterRemove, 'build/linux/ferry']) {
      accessSync(join(ROOT, file), constants.X_OK)
      expect(readFileSync(join(ROOT, file), 'utf8')).toMatch(/^#!\/bin\/(ba)?sh\n/)
    }
    const launcher = readFileSync(join(ROOT, 'build/linux/ferry'), 'utf8')
    expect(launcher).toContain('exec "$node" "$here/bin/ferry.cjs" "$@"')
  })

  it('npm run package:linux builds the Linux packages', () => {
    const scripts = (require(join(ROOT, 'package.json')) as { scripts: Record<string, string> }).scripts
    expect(scripts['package:linux']).toBe('node scripts/package-linux.mjs')
    expect(existsSync(join(ROOT, 'scripts/package-linux.mjs'))).toBe(true)
  })
})
