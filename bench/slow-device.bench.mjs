// A convert-sync onto a slow device: an ext4 image on a loop device whose writes the block layer holds
// to 20 MB/s, an SD card's speed (test/helpers/slow-device.mjs says how, and probes that the throttle
// holds fsync'ed and syncfs'ed writes alike). Against it, the same `ferry sync` onto the same kind of
// image unthrottled: the encodes alone. Goal: the card costs nothing but its own time —
//   sync onto the card ≤ 1.1 × max(sync onto the disk, output bytes at 20 MB/s)
// i.e. encoders never wait on the card and the card is never idle while encodes are ready. Two
// libraries, each a fresh transcode cache and an empty destination every run:
// - encode-bound: FLAC only (the card has time to spare: it must never hold up an encoder);
// - balanced: the same FLAC plus MP3s copied as they are, about as many seconds of card as of encoding
//   (only if both lanes run side by side the whole time does the sync take the larger, not the sum).
// For the card runs it prints where the time went, from the tasks' rows (created, started, finished)
// and the device's written-bytes counter sampled every 100 ms. FERRY_BENCH_TIMELINE=FILE writes them
// as JSON; FERRY_BENCH_RUNS=N sets the pairs (default 3); FERRY_BENCH_BOOST=1 and
// FERRY_BENCH_TRANSFER_WORKERS=N, see below.
// Needs root, loop devices and a cgroup write throttle; says why and skips (exit 0) where there are none.
import { execFileSync, spawn } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  statfsSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { availableParallelism, getPriority, setPriority } from 'node:os'
import { join } from 'node:path'
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg'
import { fastDevice, slowDevice } from '../test/helpers/slow-device.mjs'
import { FERRY, ffmpeg, makeFlacAlbum, median, noiseInput, ROOT, scratch } from './lib.mjs'

const FFMPEG = ffmpegInstaller.path
const RATE = 20e6 // bytes per second: "20 MB/s", as cards are sold
const N = availableParallelism()
const RUNS = Number(process.env.FERRY_BENCH_RUNS) || 3
const FLAC_COUNT = 24 // × 60 s: ≈ 20 s of encoding on 2 cores
const MP3_COUNT = 48 // × 8 MB at 320 kb/s: ≈ 19 s of card at 20 MB/s

// A diagnosis, not a fix: FERRY_BENCH_BOOST=1 runs the engine and its transfer worker at nice -10 in
// every run (ffmpeg, which inherits it from its convert worker, is put back to 0 within 100 ms), to
// see whether the card waits for CPU the encoders hold. Only this bench's own processes are touched.
const BOOST = process.env.FERRY_BENCH_BOOST === '1'
// Another: FERRY_BENCH_TRANSFER_WORKERS=N sets `workers.transfer` (default 1) before every run, so that
// N files can be in flight to the card at once.
const TRANSFER_WORKERS = process.env.FERRY_BENCH_TRANSFER_WORKERS
function boostCopies(engine, cpu) {
  for (const [pid, p] of Object.entries(cpu)) {
    const want = p.comm === 'ffmpeg' ? 0 : Number(pid) === engine || p.ppid === engine ? -10 : null
    if (want === null) continue
    try {
      // Every thread: libuv's pool threads do the copies' and fsyncs' system calls.
      for (const tid of readdirSync(`/proc/${pid}/task`))
        if (getPriority(Number(tid)) !== want) setPriority(Number(tid), want)
    } catch {
      // Gone meanwhile.
    }
  }
}

/**
 * CPU time of the processes of one group (the ferry command, its workers, their ffmpegs), every thread
 * counted: { pid: { comm, ppid, run, wait } } with seconds on a CPU and waiting for one
 * (/proc/PID/task/TID/schedstat), updated in place by each call while they live.
 */
function sampleCpu(pgid, into) {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const f = stat.slice(close + 2).split(' ')
      if (Number(f[2]) !== pgid) continue
      let run = 0
      let wait = 0
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const [r, w] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')
        run += Number(r) / 1e9
        wait += Number(w) / 1e9
      }
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      into[pid] = {
        comm,
        ppid: Number(f[1]),
        run: Math.max(run, into[pid]?.run ?? 0),
        wait: Math.max(wait, into[pid]?.wait ?? 0),
      }
    } catch {
      // Gone meanwhile.
    }
  }
}

/** The group's CPU by role: the engine, the transfer worker(s), the convert workers, ffmpeg. */
function cpuRoles(cpu, engine) {
  const procs = Object.entries(cpu).map(([pid, p]) => ({ pid: Number(pid), ...p }))
  const encoderParents = new Set(procs.filter((p) => p.comm === 'ffmpeg').map((p) => p.ppid))
  const sum = (list) => ({
    n: list.length,
    run: list.reduce((a, p) => a + p.run, 0),
    wait: list.reduce((a, p) => a + p.wait, 0),
  })
  const workers = procs.filter((p) => p.ppid === engine && p.comm !== 'ffmpeg')
  return {
    engine: sum(procs.filter((p) => p.pid === engine)),
    transfer: sum(workers.filter((p) => !encoderParents.has(p.pid))),
    convert: sum(workers.filter((p) => encoderParents.has(p.pid))),
    ffmpeg: sum(procs.filter((p) => p.comm === 'ffmpeg')),
  }
}

const ff = (args) => ffmpeg(FFMPEG, args)

/** Two libraries sharing their FLAC (hard links): FLAC only, and FLAC + MP3s to copy as they are. */
function makeLibraries(dir) {
  const flac = join(dir, 'flac-only', 'Artist', 'Album')
  const mixed = join(dir, 'mixed')
  makeFlacAlbum(FFMPEG, flac, FLAC_COUNT, 60)
  const mixedFlac = join(mixed, 'Artist', 'Album')
  const mixedMp3 = join(mixed, 'Other Artist', 'Lossy Album')
  mkdirSync(mixedFlac, { recursive: true })
  mkdirSync(mixedMp3, { recursive: true })
  for (const f of readdirSync(flac)) linkSync(join(flac, f), join(mixedFlac, f))
  const mp3 = join(dir, 'one.mp3')
  ff([...noiseInput(200, 9, 330), '-c:a', 'libmp3lame', '-b:a', '320k', '-metadata', 'artist=Bench', mp3])
  for (let i = 0; i < MP3_COUNT; i++)
    copyFileSync(mp3, join(mixedMp3, `${String(i).padStart(2, '0')} Song.mp3`))
  return { flacOnly: join(dir, 'flac-only'), mixed }
}

function treeBytes(dir) {
  let sum = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    sum += e.isDirectory() ? treeBytes(p) : statSync(p).size
  }
  return sum
}

const cleanups = []
let child = null
function cleanupAll() {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL') // the group this bench started: ferry and its workers
    } catch {
      // Already gone.
    }
  }
  while (cleanups.length) {
    try {
      cleanups.pop()()
    } catch (err) {
      console.error(`slow-device.bench: cleanup: ${err.message}`)
    }
  }
}
process.on('exit', cleanupAll)
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.once(sig, () => {
    cleanupAll()
    process.exit(130)
  })

/** One `ferry sync` onto a device: its wall time, the device's bytes sampled, the tasks' rows. */
async function syncOnto(device, src, data) {
  const dst = join(device.mount, 'Music')
  rmSync(dst, { recursive: true, force: true })
  rmSync(data, { recursive: true, force: true }) // a fresh transcode cache: every file is encoded
  if (TRANSFER_WORKERS)
    execFileSync(process.execPath, [
      FERRY,
      '--data-dir',
      data,
      'settings',
      'set',
      'workers.transfer',
      TRANSFER_WORKERS,
    ])
  execFileSync('sync', ['-f', device.mount]) // nothing of the last run left to write back
  const [cmd, args] = (device.wrap ?? ((c, a) => [c, a]))(process.execPath, [
    FERRY,
    '--data-dir',
    data,
    'sync',
    '-q',
    src,
    dst,
  ])
  const samples = []
  const cpu = {}
  const w0 = device.written()
  const t0 = Date.now()
  const timer = setInterval(() => {
    samples.push([Date.now() - t0, device.written() - w0])
    if (child?.pid) sampleCpu(child.pid, cpu)
    if (BOOST && child?.pid) boostCopies(child.pid, cpu)
  }, 100)
  let engine = 0
  const { code, stderr } = await new Promise((resolve) => {
    let err = ''
    child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], detached: true })
    engine = child.pid
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (c) => resolve({ code: c, stderr: err }))
  })
  child = null
  const seconds = (Date.now() - t0) / 1000
  clearInterval(timer)
  samples.push([Date.now() - t0, device.written() - w0])
  if (code !== 0) throw new Error(`ferry sync onto ${device.mount} failed (${code}): ${stderr}`)
  const Database = createRequire(join(ROOT, 'package.json'))('better-sqlite3')
  const db = new Database(join(data, 'ferry.db'), { readonly: true })
  const tasks = db
    .prepare(
      `SELECT id, parent_id AS parent, type, lane, status, bytes_total AS bytes,
              created_at - ? AS created, started_at - ? AS started, finished_at - ? AS finished
         FROM tasks ORDER BY id`,
    )
    .all(t0, t0, t0)
  db.close()
  return { seconds, bytes: treeBytes(dst), samples, tasks, cpu: cpuRoles(cpu, engine) }
}

/** Measure of the set of instants (ms) where `pred(t)` holds, on a 10 ms grid over [from, to). */
function measure(from, to, pred) {
  let ms = 0
  for (let t = from; t < to; t += 10) if (pred(t)) ms += 10
  return ms / 1000
}

const fmtCpu = (c) => `${c.run.toFixed(1)} / ${c.wait.toFixed(1)}`

/** Where the time of a card run went, from its tasks' rows and the device's byte counter. */
function diagnose(run) {
  const done = run.tasks.filter((t) => t.started !== null && t.finished !== null)
  const converts = done.filter((t) => t.lane === 'convert')
  const transfers = done.filter((t) => t.lane === 'transfer')
  const end = Math.max(...done.map((t) => t.finished))
  const active = (list, t) => list.filter((x) => x.started <= t && t < x.finished).length
  const ready = (list, t) => list.some((x) => x.created <= t && t < x.started)
  const encodeStart = Math.min(...converts.map((t) => t.started))
  const encodeEnd = Math.max(...converts.map((t) => t.finished))
  // Encoder slots idle while an encode was ready to start.
  const encoderWait = measure(encodeStart, encodeEnd, (t) => active(converts, t) < N && ready(converts, t))
  // Transfer lane idle while a copy (of an encode or of a lossy source) was ready.
  const laneIdle = measure(0, end, (t) => active(transfers, t) === 0 && ready(transfers, t))
  // Encodes finished and waiting for the card, at most at once.
  let pile = 0
  for (let t = 0; t < end; t += 100)
    pile = Math.max(
      pile,
      transfers.filter((x) => x.parent !== null && x.created <= t && t < x.started).length,
    )
  // The card: blk-throttle lets bytes through in bursts (≈ 4 MB every 200 ms at 20 MB/s), so it is
  // judged over 500 ms windows: idle when it wrote < 10 % of its rate, between its first and last write.
  const s = run.samples
  const at = (t) => {
    const i = s.findIndex(([ms]) => ms >= t)
    return i < 0 ? s.at(-1)[1] : s[i][1]
  }
  const first = s.find(([, b]) => b > 0)?.[0] ?? 0
  const last = s.find(([, b]) => b >= s.at(-1)[1])?.[0] ?? 0
  let cardIdle = 0
  let cardIdleLaneBusy = 0
  for (let t = first; t + 500 <= last; t += 500) {
    if (at(t + 500) - at(t) < RATE * 0.5 * 0.1) {
      cardIdle += 0.5
      if (active(transfers, t + 250) > 0) cardIdleLaneBusy += 0.5
    }
  }
  const rate = (from, to) => (to > from ? (at(to) - at(from)) / ((to - from) / 1000) / 1e6 : NaN)
  // The transfer lane's busy time: while at least one copy runs (a transfer worker copies several
  // files side by side, so their times overlap and are not added up).
  const busy = (from, to) => measure(from, Math.min(to, end), (t) => active(transfers, t) > 0)
  // What the transfer lane spent beyond the card's rate, while encodes ran and after.
  const excess = (from, to) =>
    busy(from, to) -
    transfers.filter((t) => t.started >= from && t.started < to).reduce((a, t) => a + t.bytes, 0) / RATE
  const copyOf = () => busy(0, end)
  const childWait = transfers.filter((x) => x.parent !== null).map((x) => (x.started - x.created) / 1000)
  return [
    `encodes ${converts.length} (${((encodeEnd - encodeStart) / 1000).toFixed(1)} s, from ${(encodeStart / 1000).toFixed(1)} s), encoder slots idle while an encode was ready ${encoderWait.toFixed(1)} s (goal ≈ 0)`,
    `copies ${transfers.length}: transfer lane busy ${copyOf().toFixed(1)} s (bytes at 20 MB/s: ${(run.bytes / RATE).toFixed(1)} s), idle while a copy was ready ${laneIdle.toFixed(1)} s (goal ≈ 0)`,
    `card idle (500 ms windows) between its first and last write ${cardIdle.toFixed(1)} s, ${cardIdleLaneBusy.toFixed(1)} s of it with a copy running; writes from ${(first / 1000).toFixed(1)} s to ${(last / 1000).toFixed(1)} s of ${run.seconds.toFixed(1)} s`,
    `card throughput while encodes ran ${rate(Math.max(first, encodeStart), encodeEnd).toFixed(1)} MB/s, after ${rate(encodeEnd, last).toFixed(1)} MB/s (goal 20); copies' time beyond the rate: ${excess(0, encodeEnd).toFixed(1)} s while encodes ran, ${excess(encodeEnd, Infinity).toFixed(1)} s after`,
    `CPU (run / waiting for a CPU, s): transfer worker ${fmtCpu(run.cpu.transfer)}, engine ${fmtCpu(run.cpu.engine)}, ffmpeg ×${run.cpu.ffmpeg.n} ${fmtCpu(run.cpu.ffmpeg)}, convert workers ${fmtCpu(run.cpu.convert)}`,
    `encoded files waiting for the card: at most ${pile} at once; wait before their copy median ${median(childWait).toFixed(2)} s, max ${Math.max(...childWait).toFixed(2)} s`,
  ]
}

async function scenario(title, src, card, disk, dir) {
  const data = join(dir, 'data')
  const rows = { card: [], disk: [], bound: [], ratio: [] }
  const timelines = []
  for (let i = 0; i < RUNS; i++) {
    const c = await syncOnto(card, src, data)
    const d = await syncOnto(disk, src, data)
    const bound = Math.max(d.seconds, c.bytes / RATE)
    rows.card.push(c.seconds)
    rows.disk.push(d.seconds)
    rows.bound.push(c.bytes / RATE)
    rows.ratio.push(c.seconds / bound)
    timelines.push({ card: c, disk: d })
  }
  const row = (name, xs) =>
    `  ${name.padEnd(40)} median ${median(xs).toFixed(2)} s  (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)})`
  const last = timelines.at(-1)
  console.log(title)
  console.log(row('ferry sync onto the card (20 MB/s)', rows.card))
  console.log(row('ferry sync onto the disk (encodes alone)', rows.disk))
  console.log(row(`output bytes at 20 MB/s (${(last.card.bytes / 1e6).toFixed(0)} MB)`, rows.bound))
  console.log(
    `  card / max(encodes alone, bytes at 20 MB/s): median ${median(rows.ratio).toFixed(2)}× over ${RUNS} pairs (goal ≤ 1.1×); sum of the two would be ${(median(rows.disk.map((d, i) => d + rows.bound[i])) / median(rows.bound.map((b, i) => Math.max(b, rows.disk[i])))).toFixed(2)}×`,
  )
  console.log('  the last card run:')
  for (const line of diagnose(last.card)) console.log(`    ${line}`)
  return timelines
}

const dir = scratch('ferry-bench-slow-')
cleanups.push(dir.remove)
// The images in RAM where there is room (see test/helpers/slow-device.mjs: on the system disk, each
// flush of the card would also wait for that disk, which the encoders' transcode cache keeps busy).
const shm = '/dev/shm'
const imageDir =
  existsSync(shm) && statfsSync(shm).bavail * statfsSync(shm).bsize > 4 * 2 ** 30 ? shm : dir.path
const card = slowDevice({ dir: dir.path, imageDir, sizeMiB: 1024, writeBytesPerSecond: RATE })
if (card.why) {
  console.log(`slow-device.bench: no throttled device on this machine (${card.why}); skipped.`)
} else {
  cleanups.push(card.remove)
  const disk = fastDevice({ dir: dir.path, imageDir, sizeMiB: 1024 })
  if (disk.why) {
    console.log(`slow-device.bench: ${disk.why}; skipped.`)
  } else {
    cleanups.push(disk.remove)
    if (TRANSFER_WORKERS)
      console.log(`FERRY_BENCH_TRANSFER_WORKERS=${TRANSFER_WORKERS}: workers.transfer set so (a diagnosis)`)
    if (BOOST)
      console.log('FERRY_BENCH_BOOST=1: the engine and its workers at nice -10, ffmpeg at 0 (a diagnosis)')
    console.log(
      `destination: ext4 on ${card.loop} (its image in ${imageDir}), writes held to ${RATE / 1e6} MB/s by ${card.kind === 'blkio-v1' ? 'the root blkio cgroup (blkio.throttle.write_bps_device)' : 'a cgroup of its own (io.max)'}; encodes alone: ext4 on ${disk.loop}, unthrottled; ${N} convert workers`,
    )
    const libs = makeLibraries(dir.path)
    const all = {}
    all.encodeBound = await scenario(
      `convert-sync ${FLAC_COUNT} × 60 s FLAC → MP3 V0 (encode-bound)`,
      libs.flacOnly,
      card,
      disk,
      dir.path,
    )
    all.balanced = await scenario(
      `convert-sync ${FLAC_COUNT} × 60 s FLAC → MP3 V0 + ${MP3_COUNT} MP3s copied as they are (balanced)`,
      libs.mixed,
      card,
      disk,
      dir.path,
    )
    if (process.env.FERRY_BENCH_TIMELINE) {
      writeFileSync(process.env.FERRY_BENCH_TIMELINE, JSON.stringify(all))
      console.log(`  timelines: ${process.env.FERRY_BENCH_TIMELINE}`)
    }
  }
}
cleanupAll()
