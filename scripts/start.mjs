// `npm start`: the desktop app where Electron's binary is installed; otherwise one line saying so,
// then the web UI (`ferry serve`), which is the same app in a browser.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
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

// electron-vite's package exports do not include its bin script: find it through its package.json.
const viteDir = join(root, 'node_modules', 'electron-vite')
const viteBin = join(
  viteDir,
  JSON.parse(readFileSync(join(viteDir, 'package.json'), 'utf8')).bin['electron-vite'],
)
// FERRY_START_NO_BUILD=1 skips the build (the tests, which build once before they run).
if (process.env.FERRY_START_NO_BUILD !== '1') {
  const build = await run(process.execPath, [viteBin, 'build'])
  if (build !== 0) process.exit(build)
}

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
