// The Queue view in Chromium against `ferry serve`, each figure beside its baseline and its goal:
// 1. first render (navigation → first task row on screen) with 100k tasks vs with 1k tasks, and the
//    rows mounted with 100k;
// 2. scrolling the 100k list: p95 of requestAnimationFrame deltas while the list scrolls, against
//    the same page not scrolling, and p95 of each frame's main-thread work (rAF deltas in headless
//    Chromium are the 60 Hz interval plus jitter whatever the page does; the work says how much of
//    the frame the page used);
// 3. a 2,000-file `ferry cp` with the Queue view open vs with no client connected, and what the
//    page cost meanwhile (CPU of the engine and of Chromium, commands sent, events received);
// 4. WebSocket frames the page receives while more than 1,000 tasks a second complete.
// Tasks for 1 and 2 are diagnostic echo tasks enqueued through the contract with the queue paused.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { FERRY, median, ROOT, scratch } from './lib.mjs'

/* global window, document, MutationObserver, requestAnimationFrame */

const require = createRequire(join(ROOT, 'package.json'))
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const RUNS = 5
const COPY_FILES = 2000

const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]
const ms = (x) => `${x.toFixed(1)} ms`
const ms2 = (x) => `${x.toFixed(2)} ms`
const row = (name, xs, unit = (x) => `${x.toFixed(3)} s`) =>
  `  ${name.padEnd(34)} median ${unit(median(xs))}  (min ${unit(Math.min(...xs))}, max ${unit(Math.max(...xs))})`

/** `ferry serve` on a free port; resolves with its URL, token and a stop function. */
function serve(dataDir) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [FERRY, '--data-dir', dataDir, 'serve', '--port', '0', '--stop-with-stdin'],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    )
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(out)
      if (m)
        resolve({
          url: m[0],
          port: Number(m[1]),
          token: m[2],
          pid: child.pid,
          stop: () =>
            new Promise((done) => {
              child.stdin.end()
              child.once('exit', done)
            }),
        })
    })
    child.once('exit', (code) => {
      // Before it listened, or while a benchmark used it: either way the figures would be wrong.
      reject(new Error(`ferry serve exited (${code})`))
      if (!child.stdin.writableEnded) {
        console.error(`ferry serve for ${dataDir} stopped (${code}) during the benchmark`)
        process.exit(1)
      }
    })
  })
}

/** A contract client over the WebSocket, as the CLI connects (the token as a bearer). */
async function client(s) {
  const WebSocket = require('ws')
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws`, { headers: { authorization: `Bearer ${s.token}` } })
  await new Promise((r, j) => {
    ws.once('open', r)
    ws.once('error', j)
  })
  let id = 0
  let closed = false
  const pending = new Map()
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new Error('the connection to ferry serve closed'))
    if (!closed) console.error('the connection to ferry serve closed during the benchmark')
  })
  ws.on('message', (d) => {
    const m = JSON.parse(String(d))
    if (m.type !== 'result') return
    const p = pending.get(m.id)
    pending.delete(m.id)
    if (m.ok) p.resolve(m.value)
    else p.reject(new Error(m.error.message))
  })
  return {
    invoke: (command, input) =>
      new Promise((resolve, reject) => {
        pending.set(++id, { resolve, reject })
        ws.send(JSON.stringify({ type: 'invoke', id, command, input }))
      }),
    close: () => {
      closed = true
      ws.close()
    },
  }
}

/** A data folder whose queue holds `count` pending echo tasks in one batch, served. */
async function servedQueue(dir, count) {
  const s = await serve(join(dir, `data-${count}`))
  const c = await client(s)
  await c.invoke('queue.pause', {})
  await c.invoke('queue.enqueue', {
    mode: 'echo',
    count,
    label: `${count.toLocaleString('en-US')} echo tasks`,
  })
  c.close()
  return s
}

// Installed before the page's own scripts: the moment the first task row is on screen (the frame
// after it enters the DOM), and every WebSocket frame the page receives.
const INIT = () => {
  window.__firstRow = undefined
  const seen = () =>
    [...document.querySelectorAll('[role="grid"] [role="row"]')].some((r) => /echo task/.test(r.textContent))
  new MutationObserver((_, obs) => {
    if (window.__firstRow === undefined && seen()) {
      obs.disconnect()
      requestAnimationFrame(() => (window.__firstRow = performance.now()))
    }
  }).observe(document, { childList: true, subtree: true })
}

async function firstRender(browser, s) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  await page.addInitScript(INIT)
  await page.goto(s.url)
  await page.waitForFunction(() => window.__firstRow !== undefined, null, { timeout: 60_000 })
  const t = await page.evaluate(() => window.__firstRow)
  return { t: t / 1000, page, context }
}

async function mountedRows(page) {
  await page.waitForTimeout(300)
  return page.evaluate(() => {
    const grid = document.querySelector('[role="grid"]')
    return { rows: grid.querySelectorAll('[role="row"]').length, height: grid.clientHeight }
  })
}

/**
 * Frames for `duration` ms while the list scrolls `px` a frame (0: still): requestAnimationFrame
 * deltas (in headless Chromium these are the 60 Hz begin-frame interval plus timer jitter, so even an
 * idle page's p95 sits near 16.7 ms), and each frame's main-thread work: from the frame's start (the
 * rAF timestamp, before its scroll events, callbacks, style, layout and paint) to a message posted from
 * the rAF callback, which runs once the frame's rendering and the tasks queued before it are done. And
 * the Long Animation Frames Chromium reports (frames that kept the main thread over 50 ms).
 */
function frames(page, px, duration) {
  return page.evaluate(
    ([px, duration]) =>
      new Promise((resolve) => {
        const grid = document.querySelector('[role="grid"]')
        const deltas = []
        const work = []
        const long = []
        const observer =
          typeof PerformanceObserver === 'function' &&
          PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame')
            ? new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)))
            : undefined
        observer?.observe({ type: 'long-animation-frame' })
        const channel = new MessageChannel()
        const starts = []
        channel.port1.onmessage = () => work.push(performance.now() - starts.shift())
        let last
        const end = performance.now() + duration
        const frame = (t) => {
          if (last !== undefined) deltas.push(t - last)
          last = t
          starts.push(t)
          channel.port2.postMessage(0)
          if (px) {
            grid.scrollTop += px
            if (grid.scrollTop + grid.clientHeight >= grid.scrollHeight - 1) grid.scrollTop = 0
          }
          if (t < end) requestAnimationFrame(frame)
          else
            setTimeout(() => {
              observer?.disconnect()
              resolve({ deltas, work, long: observer ? long : undefined })
            }, 50)
        }
        requestAnimationFrame(frame)
      }),
    [px, duration],
  )
}

async function benchRender(browser, dir) {
  const big = await servedQueue(dir, 100_000)
  const small = await servedQueue(dir, 1_000)
  try {
    // Warm-up of each, then A B A B …
    for (const s of [big, small]) await (await firstRender(browser, s)).context.close()
    const tb = []
    const ts = []
    const ratios = []
    let mounted
    for (let i = 0; i < RUNS; i++) {
      const b = await firstRender(browser, big)
      tb.push(b.t)
      if (i === 0) mounted = await mountedRows(b.page)
      await b.context.close()
      const s = await firstRender(browser, small)
      ts.push(s.t)
      await s.context.close()
      ratios.push(tb[i] / ts[i])
    }
    console.log('Queue view first render (navigation → first task row on screen), 1280×800')
    console.log(row('100,000 tasks', tb))
    console.log(row('1,000 tasks', ts))
    console.log(`  ratio 100k / 1k: median ${median(ratios).toFixed(2)}× over ${RUNS} pairs   goal ≤ 1.20×`)
    // The list's row height and overscan (src/renderer/src/views/Queue/rows.tsx, TaskList.tsx).
    const { OVERSCAN, ROW } = { OVERSCAN: 8, ROW: 34 }
    const visible = Math.ceil(mounted.height / ROW) + 1
    console.log(
      `  rows mounted with 100k tasks: ${mounted.rows}   goal ≤ visible ${visible} + 2 × overscan ${OVERSCAN} = ${visible + 2 * OVERSCAN}`,
    )

    // Scrolling the 100k list, against the same page standing still.
    const { page, context } = await firstRender(browser, big)
    await page.waitForTimeout(500)
    const still = await frames(page, 0, 3000)
    const steady = await frames(page, 40, 4000)
    const fast = await frames(page, 1200, 4000)
    await context.close()
    console.log(
      'Scrolling the 100,000-task list: requestAnimationFrame deltas (the refresh interval + jitter)',
    )
    // A frame that took longer than 1.5 refresh intervals is one the page missed.
    const line = (name, { deltas: xs }) =>
      `  ${name.padEnd(34)} p50 ${ms2(pct(xs, 50))}  p95 ${ms2(pct(xs, 95))}  max ${ms(Math.max(...xs))}  missed ${xs.filter((x) => x > 1.5 * pct(still.deltas, 50)).length} of ${xs.length}`
    console.log(line('standing still (baseline)', still))
    console.log(line('scrolling 40 px a frame', steady))
    console.log(line('scrolling 1,200 px a frame', fast))
    console.log(
      `  p95 scrolling / still: ${(pct(steady.deltas, 95) / pct(still.deltas, 95)).toFixed(2)}× and ${(pct(fast.deltas, 95) / pct(still.deltas, 95)).toFixed(2)}×   goal p95 ≤ 16.7 ms (one 60 Hz frame): ${ms2(pct(steady.deltas, 95))}, ${ms2(pct(fast.deltas, 95))}`,
    )
    console.log('  each frame’s main-thread work (frame start → its rendering and queued tasks done)')
    const workLine = (name, { work: xs, long }) =>
      `  ${name.padEnd(34)} p50 ${ms2(pct(xs, 50))}  p95 ${ms2(pct(xs, 95))}  max ${ms(Math.max(...xs))}  long animation frames (> 50 ms) ${long === undefined ? 'not reported' : long.length}`
    console.log(workLine('standing still (baseline)', still))
    console.log(workLine('scrolling 40 px a frame', steady))
    console.log(workLine('scrolling 1,200 px a frame', fast))
    console.log(
      `  frame work p95 ≤ 16.7 ms (fits a 60 Hz frame): ${ms2(pct(steady.work, 95))}, ${ms2(pct(fast.work, 95))}`,
    )
  } finally {
    await big.stop()
    await small.stop()
  }
}

const TICK = 100 // USER_HZ: /proc's clock ticks a second on Linux

/** CPU seconds (user + system) used so far by a process and its live descendants (the engine and its workers). */
function treeCpu(root) {
  const stats = new Map()
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8')
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ')
      stats.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICK })
    } catch {
      // gone meanwhile
    }
  }
  let sum = 0
  const want = new Set([root])
  for (let grew = true; grew;) {
    grew = false
    for (const [pid, s] of stats)
      if (!want.has(pid) && want.has(s.ppid)) {
        want.add(pid)
        grew = true
      }
  }
  for (const pid of want) sum += stats.get(pid)?.cpu ?? 0
  return sum
}

/** Wall-clock seconds of `ferry cp` of the tree into a fresh folder, attached to the served engine. */
function timedCopy(data, src, out) {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out)
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(process.execPath, [FERRY, '--data-dir', data, 'cp', '-q', src, out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.once('exit', (code) =>
      code === 0
        ? resolve(Number(process.hrtime.bigint() - t0) / 1e9)
        : reject(new Error(`ferry cp: ${code} ${err}`)),
    )
  })
}

async function benchCopy(browser, dir) {
  const src = join(dir, 'copy-src', 'Library')
  for (let d = 0; d < 20; d++) {
    const album = join(src, `Album ${d}`)
    mkdirSync(album, { recursive: true })
    for (let f = 0; f < COPY_FILES / 20; f++)
      writeFileSync(join(album, `${f} Track.flac`), Buffer.alloc(4096, f))
  }
  const data = join(dir, 'data-copy')
  const out = join(dir, 'copy-out')
  const s = await serve(data)
  const c = await client(s)
  const flush = () => c.invoke('queue.flush', { status: ['ok', 'skip', 'fail', 'cancelled'] })
  // What the page costs while the copy runs, beside the time: the commands it sends (and their
  // round trips), the events it receives, the renderer's main-thread work (CDP Performance metrics),
  // Chromium's CPU (every process of it), and the engine's CPU (ferry serve and its workers).
  const cdpBrowser = await browser.newBrowserCDPSession()
  const chromiumCpu = async () =>
    (await cdpBrowser.send('SystemInfo.getProcessInfo')).processInfo.reduce((a, p) => a + p.cpuTime, 0)
  const costs = []
  const engineAlone = []
  const withPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.addInitScript(() => {
      const Native = window.WebSocket
      window.__wire = { sent: {}, rtt: {}, events: {}, open: new Map() }
      window.WebSocket = class extends Native {
        send(data) {
          const m = JSON.parse(data)
          const w = window.__wire
          if (m.type === 'invoke') {
            w.sent[m.command] = (w.sent[m.command] ?? 0) + 1
            w.open.set(m.id, { command: m.command, at: performance.now() })
          }
          super.send(data)
        }
        constructor(...args) {
          super(...args)
          this.addEventListener('message', (e) => {
            const m = JSON.parse(e.data)
            const w = window.__wire
            if (m.type === 'event') w.events[m.name] = (w.events[m.name] ?? 0) + 1
            else if (m.type === 'result' && w.open.has(m.id)) {
              const o = w.open.get(m.id)
              w.open.delete(m.id)
              ;(w.rtt[o.command] ??= []).push(performance.now() - o.at)
            }
          })
        }
      }
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    await page.goto(s.url)
    await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor()
    await page.waitForTimeout(300)
    const metrics = async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]))
    await page.evaluate(() => {
      const w = window.__wire
      w.sent = {}
      w.rtt = {}
      w.events = {}
    })
    const m0 = await metrics()
    const c0 = await chromiumCpu()
    const e0 = treeCpu(s.pid)
    const t = await timedCopy(data, src, out)
    const e1 = treeCpu(s.pid)
    const c1 = await chromiumCpu()
    const m1 = await metrics()
    const wire = await page.evaluate(() => {
      const w = window.__wire
      return { sent: w.sent, rtt: w.rtt, events: w.events }
    })
    const d = (k) => m1[k] - m0[k]
    costs.push({
      t,
      engine: e1 - e0,
      chromium: c1 - c0,
      task: d('TaskDuration'),
      script: d('ScriptDuration'),
      layout: d('LayoutDuration'),
      style: d('RecalcStyleDuration'),
      wire,
    })
    await context.close()
    return t
  }
  const alone = async () => {
    const e0 = treeCpu(s.pid)
    const t = await timedCopy(data, src, out)
    engineAlone.push(treeCpu(s.pid) - e0)
    return t
  }
  try {
    await alone()
    await flush()
    await withPage()
    await flush()
    const ta = []
    const tb = []
    const ratios = []
    for (let i = 0; i < RUNS; i++) {
      ta.push(await withPage())
      await flush()
      tb.push(await alone())
      await flush()
      ratios.push(ta[i] / tb[i])
    }
    console.log(`ferry cp of ${COPY_FILES} files (4 KiB) attached to ferry serve`)
    console.log(row('with the Queue view open', ta))
    console.log(row('with no client connected', tb))
    console.log(
      `  ratio open / none: median ${median(ratios).toFixed(2)}× over ${RUNS} pairs (each ${ratios.map((r) => r.toFixed(2)).join(', ')})   goal ≤ 1.03×`,
    )
    // Diagnostics of the timed runs with the page open (the first, a warm-up, left out).
    const timed = costs.slice(1)
    const engineOpen = timed.map((c) => c.engine)
    const cpuRow = (name, xs) => row(name, xs, (x) => `${x.toFixed(2)} s`)
    console.log('  what the page costs during the copy (CPU seconds a copy; 2 cores shared by all)')
    console.log(cpuRow('engine + workers, page open', engineOpen))
    console.log(cpuRow('engine + workers, no client', engineAlone.slice(1)))
    console.log(
      cpuRow(
        'Chromium, all processes',
        timed.map((c) => c.chromium),
      ),
    )
    console.log(
      cpuRow(
        'renderer main thread: tasks',
        timed.map((c) => c.task),
      ),
    )
    console.log(
      cpuRow(
        '  of which script',
        timed.map((c) => c.script),
      ),
    )
    console.log(
      cpuRow(
        '  of which style',
        timed.map((c) => c.style),
      ),
    )
    console.log(
      cpuRow(
        '  of which layout',
        timed.map((c) => c.layout),
      ),
    )
    const perSecond = (pick) => {
      const names = new Set(timed.flatMap((c) => Object.keys(pick(c))))
      return [...names]
        .map((n) => `${n} ${median(timed.map((c) => (pick(c)[n] ?? 0) / c.t)).toFixed(1)}`)
        .join(', ')
    }
    console.log(`  commands the page sends a second: ${perSecond((c) => c.wire.sent) || 'none'}`)
    console.log(`  events it receives a second: ${perSecond((c) => c.wire.events) || 'none'}`)
    const rtts = {}
    for (const c of timed) for (const [n, xs] of Object.entries(c.wire.rtt)) (rtts[n] ??= []).push(...xs)
    console.log(
      `  round trips (page → engine → page): ${
        Object.entries(rtts)
          .map(([n, xs]) => `${n} p50 ${ms(pct(xs, 50))} p95 ${ms(pct(xs, 95))}`)
          .join(', ') || 'none'
      }`,
    )

    // Frames the page receives while tasks finish fast (echo tasks on both lanes), counted in the page
    // itself: every message event of its WebSocket, with the page's clock.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.addInitScript(() => {
      const Native = window.WebSocket
      window.__frames = []
      window.WebSocket = class extends Native {
        constructor(...args) {
          super(...args)
          this.addEventListener('message', (e) => {
            const m = JSON.parse(e.data)
            window.__frames.push({
              at: performance.now(),
              name: m.name,
              ok: m.name === 'queue.progress' ? m.payload.counts.ok : undefined,
            })
          })
        }
      }
    })
    await page.goto(s.url)
    await page.getByRole('heading', { name: 'Queue', level: 1 }).waitFor()
    await c.invoke('queue.pause', {})
    for (const lane of ['transfer', 'convert'])
      await c.invoke('queue.enqueue', { mode: 'echo', count: 15_000, lane })
    await page.waitForTimeout(500)
    await page.evaluate(() => (window.__frames.length = 0))
    await c.invoke('queue.resume', {})
    await page.waitForTimeout(6000)
    const received = await page.evaluate(() => window.__frames)
    await context.close()
    const progress = received.filter((m) => m.name === 'queue.progress')
    const span = (progress[progress.length - 1].at - progress[0].at) / 1000
    const tasks = progress[progress.length - 1].ok - progress[0].ok
    const gaps = progress.slice(1).map((m, i) => m.at - progress[i].at)
    console.log(
      'WebSocket messages the Queue view receives while echo tasks finish (6 s, counted in the page)',
    )
    console.log(`  tasks finished                     ${(tasks / span).toFixed(0)} a second`)
    console.log(
      `  queue.progress messages            ${((progress.length - 1) / span).toFixed(1)} a second (shortest gap ${Math.min(...gaps).toFixed(0)} ms)   goal ≤ 10 a second while ≥ 1,000 tasks a second finish`,
    )
    console.log(`  all messages (events and answers)  ${(received.length / 6).toFixed(1)} a second`)
  } finally {
    c.close()
    await s.stop()
  }
}

if (!existsSync(CHROMIUM)) {
  console.log(
    `ui.bench: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH); skipped.`,
  )
} else {
  const { chromium } = require('playwright-core')
  const dir = scratch('ferry-bench-ui-')
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  })
  try {
    // FERRY_UI_BENCH=render or =copy runs one half.
    const only = process.env.FERRY_UI_BENCH
    if (!only || only === 'render') await benchRender(browser, dir.path)
    if (!only || only === 'copy') await benchCopy(browser, dir.path)
  } finally {
    await browser.close()
    dir.remove()
  }
}
