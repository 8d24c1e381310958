#!/usr/bin/env node
// The `ferry` command. The CLI is built with the rest of the app (npm install runs the build).
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const entry = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(entry)) {
  process.stderr.write('ferry: the app is not built yet. Run: npm run build\n')
  process.exit(1)
}
require(entry)
