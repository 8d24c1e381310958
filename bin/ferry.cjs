#!/usr/bin/env node
// The `ferry` command. The CLI is built with the rest of the app (npm install runs the build).
const { existsSync } = require('node:fs')
const { join } = require('node:path')

// Node ≥ 22.1 keeps V8's compiled code between runs (in the system's temporary folder): a command's
// modules then load in about half the time (the engine's chunk: ≈ 60 ms instead of ≈ 110–150 ms,
// measured with Node 22.23). On Node 20 there is no such cache and this does nothing.
require('node:module').enableCompileCache?.()

const entry = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(entry)) {
  process.stderr.write('ferry: the app is not built yet. Run: npm run build\n')
  process.exit(1)
}
require(entry)
