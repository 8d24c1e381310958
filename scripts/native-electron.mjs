// Builds better-sqlite3 a second time, for Electron's ABI, into native/electron/, leaving the copy in
// node_modules built for Node (tests, the CLI, `ferry serve`). The desktop app loads the Electron
// copy through better-sqlite3's `nativeBinding` option (src/main/index.ts). So after one install both
// work without a manual rebuild.
//
// Does nothing where the Electron binary is absent (ELECTRON_SKIP_BINARY_DOWNLOAD=1, CI): nothing
// could load that build there. Never fails the install: the CLI and web UI work without it.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const out = join(root, 'native', 'electron')

function electronBinaryPresent() {
  try {
    const bin = require('electron') // the package exports the binary's path, or throws if missing
    return typeof bin === 'string' && existsSync(bin)
  } catch {
    return false
  }
}

function main() {
  if (process.env.FERRY_SKIP_ELECTRON_NATIVE || !electronBinaryPresent()) {
    console.log(
      "ferry: no Electron binary here; skipping the Electron build of better-sqlite3 (CLI and web UI use Node's).",
    )
    return
  }
  const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version
  const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'))
  const stamp = join(out, `electron-${electronVersion}.stamp`)
  if (existsSync(stamp) && existsSync(join(out, 'better_sqlite3.node'))) return

  // Build in a scratch copy so the Node build in node_modules is left alone.
  const scratch = join(root, 'native', '.build-better-sqlite3')
  rmSync(scratch, { recursive: true, force: true })
  cpSync(sqliteDir, scratch, { recursive: true, filter: (src) => !src.includes(`${sqliteDir}/build`) })
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js')
  console.log(`ferry: building better-sqlite3 for Electron ${electronVersion}…`)
  execFileSync(
    process.execPath,
    [
      nodeGyp,
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: scratch, stdio: 'inherit', env: { ...process.env, npm_config_nodedir: '' } },
  )
  mkdirSync(out, { recursive: true })
  cpSync(join(scratch, 'build', 'Release', 'better_sqlite3.node'), join(out, 'better_sqlite3.node'))
  cpSync(join(scratch, 'package.json'), stamp)
  rmSync(scratch, { recursive: true, force: true })
}

try {
  main()
} catch (err) {
  console.warn(
    `ferry: could not build better-sqlite3 for Electron (${err.message}). The desktop app will not start until`,
  )
  console.warn('ferry: `npm run postinstall` succeeds; the CLI and `ferry serve` are unaffected.')
}
