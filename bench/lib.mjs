// Benchmark helpers: time whole commands, side by side with a baseline, and print medians and ratios.
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '..')
export const FERRY = join(ROOT, 'bin', 'ferry.cjs')

/** Runs the bundled ffmpeg (what Ferry falls back to), quietly, overwriting its output. */
export function ffmpeg(ffmpegPath, args) {
  execFileSync(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', ...args])
}

/** ffmpeg inputs for `seconds` of stereo pink noise under a sine tone: audio that encodes like music. */
export const noiseInput = (seconds, seed, f) => [
  '-f',
  'lavfi',
  '-i',
  `anoisesrc=d=${seconds}:c=pink:r=44100:a=0.4:seed=${seed}`,
  '-f',
  'lavfi',
  '-i',
  `sine=f=${f}:d=${seconds}:r=44100`,
  '-filter_complex',
  'amix=inputs=2',
  '-ac',
  '2',
]

/**
 * An album of `count` FLAC tracks of `seconds` each in `dir` ("00 Track.flac"…): four distinct
 * encodes, the rest copies of them (as fast to make, as slow to convert).
 */
export function makeFlacAlbum(ffmpegPath, dir, count, seconds) {
  mkdirSync(dir, { recursive: true })
  const name = (i) => join(dir, `${String(i).padStart(2, '0')} Track.flac`)
  const variants = Math.min(4, count)
  for (let v = 0; v < variants; v++)
    ffmpeg(ffmpegPath, [
      ...noiseInput(seconds, v + 1, 220 * (v + 1)),
      '-c:a',
      'flac',
      '-metadata',
      `title=Track ${v}`,
      '-metadata',
      'artist=Bench',
      name(v),
    ])
  for (let i = variants; i < count; i++) copyFileSync(name(i % variants), name(i))
}

export function scratch(prefix) {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** Wall-clock seconds of one run of a command; `before` runs untimed first (e.g. clearing the output). */
export function timeOnce(cmd, args, before) {
  before?.()
  const t0 = process.hrtime.bigint()
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' })
  const s = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  return s
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

/**
 * Runs A and B in turn (A B A B …) after a warm-up of each, so drift in the machine's speed hits both
 * alike, and prints the medians and the median of the pairwise ratios A/B.
 */
export function compare(title, a, b, { runs = 5 } = {}) {
  timeOnce(a.cmd, a.args, a.before)
  timeOnce(b.cmd, b.args, b.before)
  const ta = []
  const tb = []
  const ratios = []
  for (let i = 0; i < runs; i++) {
    ta.push(timeOnce(a.cmd, a.args, a.before))
    tb.push(timeOnce(b.cmd, b.args, b.before))
    ratios.push(ta[i] / tb[i])
  }
  const row = (name, xs) =>
    `  ${name.padEnd(34)} median ${median(xs).toFixed(3)} s  (min ${Math.min(...xs).toFixed(3)}, max ${Math.max(...xs).toFixed(3)})`
  console.log(`${title}`)
  console.log(row(a.name, ta))
  console.log(row(b.name, tb))
  console.log(`  ratio ${a.name} / ${b.name}: median ${median(ratios).toFixed(2)}× over ${runs} pairs`)
  return { a: median(ta), b: median(tb), ratio: median(ratios) }
}
