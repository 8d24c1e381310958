// Idle cost of sync triggers, and how fast a plugged-in card starts syncing, against `ferry serve`:
// - 3 profiles, each watching a 100k-file library (empty files in 10k folders) for changes, waiting
//   for its device under 3 mount roots, with an interval: the engine's CPU (utime + stime from
//   /proc, its workers included) over an idle period, as a percentage of one core, and its memory;
//   goal ≤ 1 %. The issue asks for 5 idle minutes: FERRY_BENCH_IDLE_SECONDS=300 (default 60).
// - a folder holding a profile's marker appearing under a mount root (renamed into it, as a mount
//   appears at once), to the start of its sync's first task; median of 10; goal ≤ 2 s.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'
import { FERRY, scratch } from './lib.mjs'

const FOLDERS = 10_000
const PER_FOLDER = 10
const IDLE_S = Number(process.env.FERRY_BENCH_IDLE_SECONDS ?? 60)
const ROUNDS = 10

if (process.platform !== 'linux') {
  console.log('triggers.bench: reads /proc for CPU and memory; Linux only. Skipped.')
} else {
  const dir = scratch('ferry-bench-triggers-')
  const path = (...p) => join(dir.path, ...p)
  let serve
  try {
    const ferry = (...args) => {
      const r = spawnSync(process.execPath, [FERRY, '--data-dir', path('data'), ...args], {
        encoding: 'utf8',
      })
      if (r.status !== 0) throw new Error(`ferry ${args.join(' ')}: ${r.stderr}`)
      return r.stdout
    }
    const t0 = Date.now()
    for (let d = 0; d < FOLDERS; d++) {
      const album = path('Library', `Artist ${Math.floor(d / 10)}`, `Album ${d % 10}`)
      mkdirSync(album, { recursive: true })
      for (let f = 0; f < PER_FOLDER; f++) writeFileSync(join(album, `${f} Track.mp3`), '')
    }
    console.log(
      `library: ${FOLDERS * PER_FOLDER} files in ${FOLDERS} folders (made in ${((Date.now() - t0) / 1000).toFixed(1)} s)`,
    )
    const roots = ['m1', 'm2', 'm3'].map((r) => path(r))
    for (const r of roots) mkdirSync(r)
    for (let i = 1; i <= 3; i++)
      ferry(
        'profile',
        'add',
        `big${i}`,
        '-s',
        path('Library'),
        '-d',
        join(roots[i - 1], `BIG${i}`, 'Music'),
        '--on-device',
        '--on-change',
        '--every',
        '60',
      )
    // A small profile for the latency figure, synced once so its card carries the marker.
    mkdirSync(path('Small', 'Album'), { recursive: true })
    for (let f = 0; f < 10; f++) writeFileSync(path('Small', 'Album', `${f}.mp3`), 'x'.repeat(1000))
    mkdirSync(path('m1', 'LAT'))
    ferry('profile', 'add', 'latency', '-s', path('Small'), '-d', path('m1', 'LAT'), '--on-device')
    ferry('profile', 'sync', 'latency', '-q')
    const marker = readFileSync(path('m1', 'LAT', '.ferry-profile.json'), 'utf8')
    rmSync(path('m1', 'LAT'), { recursive: true })

    serve = spawn(process.execPath, [FERRY, '--data-dir', path('data'), 'serve', '--stop-with-stdin'], {
      env: { ...process.env, FERRY_MOUNT_ROOTS: roots.join(':') },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    const url = await new Promise((resolve, reject) => {
      let out = ''
      serve.stdout.on('data', (d) => {
        out += d
        const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(out)
        if (m) resolve({ port: m[1], token: m[2] })
      })
      serve.once('exit', () => reject(new Error('ferry serve stopped')))
    })
    const api = await connect(url)
    const armedAt = Date.now()
    for (;;) {
      const status = await api.invoke('sync.status')
      const notes = status.filter((s) => s.profile.startsWith('big')).map((s) => s.triggers.note ?? '')
      if (notes.length === 3 && notes.every((n) => /Watching [\d,]+ folders/.test(n))) {
        console.log(`armed in ${((Date.now() - armedAt) / 1000).toFixed(1)} s: ${notes[0]}`)
        break
      }
      await sleep(250)
    }
    await sleep(2000) // the set-up's last events and scans settle

    // Idle cost.
    const tick = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100
    const pids = () => [serve.pid, ...children(serve.pid)]
    const cpu = () => pids().reduce((sum, pid) => sum + cpuTicks(pid), 0)
    const c0 = cpu()
    const w0 = process.hrtime.bigint()
    await sleep(IDLE_S * 1000)
    const seconds = Number(process.hrtime.bigint() - w0) / 1e9
    const percent = (((cpu() - c0) / tick / seconds) * 100).toFixed(2)
    const rss = rssMiB(serve.pid)
    const workers = children(serve.pid).reduce((s, p) => s + rssMiB(p), 0)
    console.log(
      `idle CPU over ${seconds.toFixed(0)} s, 3 profiles × ${FOLDERS * PER_FOLDER} files, 3 mount roots: ${percent} % of one core  (goal ≤ 1 %)`,
    )
    console.log(
      `  memory: engine RSS ${rss.toFixed(0)} MiB${children(serve.pid).length ? `, its ${children(serve.pid).length} idle workers ${workers.toFixed(0)} MiB` : ' (no worker process runs while idle)'}`,
    )

    // Latency: a marked card appears; its sync's first task starts.
    const fired = []
    api.on('trigger.fired', (f) => fired.push(f))
    const latencies = []
    for (let i = 0; i < ROUNDS; i++) {
      const staged = path(`staged-${i}`)
      mkdirSync(staged)
      writeFileSync(join(staged, '.ferry-profile.json'), marker)
      const before = fired.length
      const at = Date.now()
      renameSync(staged, path('m1', `CARD-${i}`))
      let f
      while (!(f = fired.slice(before).find((x) => x.profile === 'latency'))) await sleep(10)
      if (f.outcome !== 'started') throw new Error(`the trigger did not start a sync: ${JSON.stringify(f)}`)
      let first
      for (;;) {
        const { tasks } = await api.invoke('queue.list', { batchId: f.batchId, limit: 100 })
        const started = tasks.map((t) => t.startedAt).filter((s) => s !== null)
        const p = await api.invoke('queue.progress', { batchId: f.batchId })
        if (started.length) first ??= Math.min(...started)
        if (first && p.counts.pending + p.counts.active === 0) break
        await sleep(20)
      }
      latencies.push((first - at) / 1000)
      rmSync(path('m1', `CARD-${i}`), { recursive: true })
    }
    const sorted = [...latencies].sort((a, b) => a - b)
    console.log(
      `marker folder appears → its sync's first task starts: median ${sorted[Math.floor(ROUNDS / 2)].toFixed(3)} s (min ${sorted[0].toFixed(3)}, max ${sorted[ROUNDS - 1].toFixed(3)}) over ${ROUNDS}  (goal ≤ 2 s)`,
    )
    api.close()
  } finally {
    if (serve && serve.exitCode === null) {
      serve.stdin.end()
      await new Promise((r) => serve.once('exit', r))
    }
    dir.remove()
  }
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms))
}

function children(pid) {
  const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
  return r.stdout.split('\n').filter(Boolean).map(Number)
}

function cpuTicks(pid) {
  if (!existsSync(`/proc/${pid}/stat`)) return 0
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(fields[11]) + Number(fields[12]) // utime, stime
}

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : 0
}

/** A minimal client of the WebSocket transport (the same messages as src/shared/rpc-client.ts). */
function connect({ port, token }) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { authorization: `Bearer ${token}` } })
    let next = 1
    const pending = new Map()
    const listeners = new Map()
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data))
      if (msg.type === 'event') for (const l of listeners.get(msg.name) ?? []) l(msg.payload)
      else {
        const p = pending.get(msg.id)
        pending.delete(msg.id)
        if (msg.ok) p?.resolve(msg.value)
        else p?.reject(new Error(msg.error.message))
      }
    })
    ws.once('error', reject)
    ws.once('open', () =>
      resolve({
        invoke: (command, input) =>
          new Promise((res, rej) => {
            const id = next++
            pending.set(id, { resolve: res, reject: rej })
            ws.send(JSON.stringify({ type: 'invoke', id, command, input }))
          }),
        on: (name, l) => listeners.set(name, [...(listeners.get(name) ?? []), l]),
        close: () => ws.close(),
      }),
    )
  })
}
