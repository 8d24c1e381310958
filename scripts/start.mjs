// `npm start`: the desktop app where Electron's binary is installed; otherwise one line saying so,
// then the web UI (`ferry serve`), which is the same app in a browser.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))

function electronBinary() {
  try {
    const bin = require('electron')
    return typeof bin === 'string' && existsSync(bin) ? bin : undefined
  } catch {
    return undefined
  }
}

const run = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' })
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
  })

const build = await run(process.execPath, [require.resolve('electron-vite/bin/electron-vite.js'), 'build'])
if (build !== 0) process.exit(build)

const electron = electronBinary()
const extra = process.argv.slice(2)
if (electron) {
  process.exit(await run(electron, [root, ...extra]))
} else {
  console.log(
    "Electron's binary is not installed here, so the desktop app cannot open: starting the web UI instead (ferry serve).",
  )
  process.exit(await run(process.execPath, [join(root, 'bin', 'ferry.cjs'), 'serve', ...extra]))
}
