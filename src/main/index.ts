// Electron entry: supplies what depends on the packaged layout and hands over to shell/app.ts
// (single instance, lifecycle, the wiring of engine + shell + server). Everything that works without
// Electron lives in engine/ and server/; this file stays thin.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { app } from 'electron'
import { Engine } from './engine/engine'
import { launch } from './shell/app'
import { userArgs } from './shell/launch-args'
import { utilityWorker } from './shell/utility-worker'

function dataDirArg(argv: string[]): string | undefined {
  const i = argv.indexOf('--data-dir')
  return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length)
}

/** better-sqlite3 built for Electron's ABI by scripts/native-electron.mjs, kept apart from Node's. */
function electronBinding(): string | undefined {
  const file = join(app.getAppPath(), 'native', 'electron', 'better_sqlite3.node').replace(
    /app\.asar([\\/])/,
    'app.asar.unpacked$1',
  )
  return existsSync(file) ? file : undefined
}

void launch({
  openEngine: () =>
    Engine.open({
      kind: 'desktop',
      dataDir: dataDirArg(process.argv),
      nativeBinding: electronBinding(),
      spawnWorker: utilityWorker,
      workerScript: join(__dirname, 'worker.js'),
    }),
  rendererDir: join(__dirname, '../renderer'),
  preload: join(__dirname, '../preload/index.js'),
  env: process.env,
  // resources/ is packed into the app (electron-builder.yml `files`): tray icons and the window icon.
  resourcesDir: join(app.getAppPath(), 'resources'),
  args: userArgs(process.argv, process.defaultApp === true),
  cwd: process.cwd(),
})
