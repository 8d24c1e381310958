// `npm run bench`: each benchmark prints its figures against a baseline run side by side.
// Benchmarks arrive with the features they measure (queue throughput, conversion vs plain ffmpeg).
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv[2]
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only)))
  .sort()
if (benches.length === 0) {
  console.log('No benchmarks yet: they arrive with the queue and conversion (see README, "Benchmarks").')
}
for (const file of benches) {
  console.log(`\n== ${file}`)
  await import(pathToFileURL(join(here, file)).href)
}
