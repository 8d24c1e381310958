// `ferry convert` against plain ffmpeg run by `xargs -P N` on the same files with the same
// arguments and the same ffmpeg binary (the one Ferry chooses: `ferry info`), N = the convert workers
// Ferry starts (one per core). Ferry's time includes starting its engine, probing, the transcode
// cache and the move into place (fsync included). Ferry's outputs are durable when it is done, so the
// baseline's are too: `sync -f` on the output's filesystem at the end, as the copy baseline does.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { execFileSync } from 'node:child_process'
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg'
import { compare, FERRY, makeFlacAlbum, scratch } from './lib.mjs'

/** The bundled static ffmpeg makes the test files; the baseline runs the one Ferry encodes with. */
const MAKER = ffmpegInstaller.path
const N = availableParallelism()
// What Ferry's mp3-v0 preset runs for a source without art (see `ferry presets show mp3-v0`).
const V0 = [
  '-map',
  '0:a:0',
  '-map_metadata',
  '0',
  '-c:a',
  'libmp3lame',
  '-q:a',
  '0',
  '-id3v2_version',
  '3',
  '-write_id3v1',
  '0',
  '-f',
  'mp3',
]

function makeSet(dir, count, seconds) {
  const src = join(dir, `${count}x${seconds}s`, 'Album')
  makeFlacAlbum(MAKER, src, count, seconds)
  return src
}

function run(title, src, dir, runs) {
  const out = join(dir, 'out')
  const data = join(dir, 'data')
  // A fresh data folder each run (an empty queue, an empty transcode cache: every file is encoded),
  // but for what an earlier run learnt of the ffmpeg binary (data/cache/ffmpeg-seen.json), as on a
  // user's machine after the first command: the binary is not run again to learn its version.
  const memo = join(data, 'cache', 'ffmpeg-seen.json')
  const kept = join(dir, 'ffmpeg-seen.json')
  const clean = () => {
    if (existsSync(memo)) copyFileSync(memo, kept)
    rmSync(out, { recursive: true, force: true })
    rmSync(data, { recursive: true, force: true })
    mkdirSync(out)
    if (existsSync(kept)) {
      mkdirSync(dirname(memo), { recursive: true })
      copyFileSync(kept, memo)
    }
  }
  const script = `ls "$0"/*.flac | tr '\\n' '\\0' | xargs -0 -P ${N} -I{} sh -c 'f="{}"; b=$(basename "$f" .flac); exec "$1" -hide_banner -nostdin -y -loglevel error -i "$f" ${V0.join(' ')} "$2/$b.mp3"' _ "${FFMPEG}" "${out}" && sync -f "${out}"`
  return compare(
    title,
    {
      name: `ferry convert (${N} workers)`,
      cmd: process.execPath,
      args: [FERRY, '--data-dir', data, 'convert', '-q', src, out],
      before: clean,
    },
    { name: `xargs -P ${N} ffmpeg`, cmd: 'sh', args: ['-c', script, src], before: clean },
    { runs },
  )
}

const dir = scratch('ferry-bench-convert-')
let FFMPEG
try {
  // A dynamically linked ffmpeg (Debian's) takes ≈ 80 ms to start, the static one ≈ 0: comparing Ferry
  // on one with the baseline on the other would measure the binaries, not Ferry.
  const chosen = JSON.parse(
    execFileSync(process.execPath, [FERRY, '--data-dir', join(dir.path, 'info'), 'info', '--json'], {
      encoding: 'utf8',
    }),
  ).ffmpeg
  if (!chosen?.ok) throw new Error('Ferry found no ffmpeg to use')
  FFMPEG = chosen.path
  console.log(`ffmpeg: ${FFMPEG} (${chosen.version}), for Ferry and the baseline`)
  const big = run('convert 40 × 60 s FLAC → MP3 V0', makeSet(dir.path, 40, 60), dir.path, 3)
  const throughput = big.b / big.a
  console.log(
    `  throughput ferry / baseline: ${throughput.toFixed(2)}× (goal ≥ 0.98×: ${throughput >= 0.98 ? 'met' : 'not met'})`,
  )
  const clips = 100
  const small = run(`convert ${clips} × 2 s FLAC → MP3 V0`, makeSet(dir.path, clips, 2), dir.path, 5)
  const perFile = ((small.a - small.b) / clips) * 1000
  console.log(
    `  overhead per file: ${perFile.toFixed(1)} ms, ${small.ratio.toFixed(2)}× (goal ≤ 8 ms: ${perFile <= 8 ? 'met' : 'not met'})`,
  )
} finally {
  dir.remove()
}
