// `npm run package:linux`: builds Ferry's Linux packages (AppImage and deb, in dist/) with
// electron-builder, where Electron's binaries can be downloaded. Steps: the app (electron-vite
// build), better-sqlite3 for Electron's ABI (native/electron, which the app loads), then
// electron-builder with electron-builder.yml. Stops with a plain sentence when a step cannot run.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))

function step(what, cmd, args, env = {}) {
  console.log(`\n== ${what}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } })
  if (r.status !== 0) {
    console.error(`package-linux: ${what} failed (exit ${r.status ?? r.signal}).`)
    process.exit(1)
  }
}

function electronBinary() {
  try {
    const bin = require('electron')
    return typeof bin === 'string' && existsSync(bin) ? bin : undefined
  } catch {
    return undefined
  }
}

if (process.platform !== 'linux') {
  console.error('package-linux: run this on Linux (electron-builder builds AppImage and deb there).')
  process.exit(1)
}
if (!electronBinary()) {
  console.error(
    "package-linux: Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network to\n" +
      'its releases). Install it first: `node node_modules/electron/install.js`, then run this again.',
  )
  process.exit(1)
}

const viteDir = join(root, 'node_modules', 'electron-vite')
const viteBin = join(viteDir, require(join(viteDir, 'package.json')).bin['electron-vite'])
step('build the app', process.execPath, [viteBin, 'build'])
step('better-sqlite3 for Electron', process.execPath, [join(root, 'scripts', 'native-electron.mjs')])
if (!existsSync(join(root, 'native', 'electron', 'better_sqlite3.node'))) {
  console.error(
    'package-linux: native/electron/better_sqlite3.node was not built; the app could not open its database.',
  )
  process.exit(1)
}
const builderBin = join(dirname(require.resolve('electron-builder/package.json')), 'cli.js')
step('electron-builder (AppImage, deb)', process.execPath, [
  builderBin,
  '--linux',
  'AppImage',
  'deb',
  '--publish',
  'never',
  ...process.argv.slice(2),
])

const dist = join(root, 'dist')
console.log('\nBuilt:')
for (const name of readdirSync(dist)) {
  if (/\.(AppImage|deb)$/.test(name)) {
    console.log(`  dist/${name} (${(statSync(join(dist, name)).size / 1024 ** 2).toFixed(1)} MB)`)
  }
}
